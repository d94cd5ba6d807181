//! Figures the benchmarks print: percentiles of a sample of milliseconds, one line per measure.

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Prints `name`, the count, p50, p99 and max of `ms`, then `note`.
pub fn report(name: &str, mut ms: Vec<f64>, note: &str) {
    ms.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{name:<52} n={:<5} p50={:>8.2} ms  p99={:>8.2} ms  max={:>8.2} ms{note}",
        ms.len(),
        percentile(&ms, 50.0),
        percentile(&ms, 99.0),
        ms.last().copied().unwrap_or(f64::NAN)
    );
}

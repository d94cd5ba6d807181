//! No status word is written into the queue's SQL: every job status and attempt outcome is bound
//! from the status enums ([`JobStatus`], [`AttemptOutcome`]). A quoted word such as `'queued'`
//! anywhere in the queue's code fails here.

use crate::contract::status::{AttemptOutcome, JobStatus};

/// The queue's files, this one excepted.
const SOURCES: [(&str, &str); 9] = [
    ("attempts.rs", include_str!("attempts.rs")),
    ("backoff.rs", include_str!("backoff.rs")),
    ("canary.rs", include_str!("canary.rs")),
    ("enqueue.rs", include_str!("enqueue.rs")),
    ("job.rs", include_str!("job.rs")),
    ("mod.rs", include_str!("mod.rs")),
    ("position.rs", include_str!("position.rs")),
    ("turned_away.rs", include_str!("turned_away.rs")),
    ("wakeup.rs", include_str!("wakeup.rs")),
];

#[test]
fn every_file_of_the_queue_is_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/queue");
    let mut on_disk: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".rs") && f != "sql_tests.rs")
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, SOURCES.map(|(f, _)| f.to_string()));
}

#[test]
fn no_status_word_is_written_into_the_queues_sql() {
    let words = JobStatus::ALL.iter().map(|s| s.as_str()).chain(AttemptOutcome::ALL.iter().map(|o| o.as_str()));
    for word in words {
        for (file, text) in SOURCES {
            assert!(
                !text.contains(&format!("'{word}'")),
                "queue/{file} writes '{word}' into its SQL: bind the status enum instead"
            );
        }
    }
}

//! Robot process groups: signalling a whole group, telling whether any of its members is still
//! alive (zombies count as dead), and a process's start time (to recognise a reused pid).

use std::time::{Duration, Instant};

/// One line of `/proc/PID/stat`, the fields we use.
struct Stat {
    state: char,
    pgrp: u32,
    start_time: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(Stat { state: f.first()?.chars().next()?, pgrp: f.get(2)?.parse().ok()?, start_time: f.get(19)?.parse().ok()? })
}

/// The process's start time in clock ticks since boot, if it exists.
pub fn start_time(pid: u32) -> Option<u64> {
    stat(pid).map(|s| s.start_time)
}

/// Whether `pid` exists and is not a zombie.
pub fn is_alive(pid: u32) -> bool {
    stat(pid).is_some_and(|s| s.state != 'Z' && s.state != 'X')
}

/// Living (non-zombie) members of process group `pgid`.
pub fn members(pgid: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| stat(*pid).is_some_and(|s| s.pgrp == pgid && s.state != 'Z' && s.state != 'X'))
        .collect()
}

/// Sends `signal` to every process of group `pgid`. False if the group no longer exists.
pub fn signal(pgid: u32, signal: i32) -> bool {
    if pgid <= 1 {
        return false;
    }
    // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
    unsafe { libc::kill(-(pgid as i32), signal) == 0 }
}

/// SIGKILLs group `pgid` and waits (bounded) until none of its members is alive.
pub fn kill_and_wait(pgid: u32, bound: Duration) -> bool {
    let deadline = Instant::now() + bound;
    loop {
        signal(pgid, libc::SIGKILL);
        if members(pgid).is_empty() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether our child `pid` has exited, without reaping it (so its pid — the group id — cannot be
/// reused while we still signal the group).
pub fn has_exited(pid: u32) -> bool {
    // SAFETY: waitid fills a zeroed siginfo_t we own; WNOWAIT leaves the child waitable.
    unsafe {
        let mut info: libc::siginfo_t = std::mem::zeroed();
        let r = libc::waitid(libc::P_PID, pid as libc::id_t, &mut info, libc::WEXITED | libc::WNOHANG | libc::WNOWAIT);
        r == 0 && info.si_pid() != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_itself_and_its_group() {
        let me = std::process::id();
        assert!(is_alive(me));
        assert!(start_time(me).is_some());
        // SAFETY: getpgrp has no preconditions.
        let pgrp = unsafe { libc::getpgrp() } as u32;
        assert!(members(pgrp).contains(&me));
    }
}

//! Robot process groups: signalling a whole group, telling whether any of its members is still
//! alive (zombies count as dead), a process's parent and start time (to recognise a reused pid, also read by a
//! child about itself between fork and exec), and which processes hold a given `flock`.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::time::{Duration, Instant};

/// One line of `/proc/PID/stat`, the fields we use.
struct Stat {
    state: char,
    ppid: u32,
    pgrp: u32,
    start_time: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
    let rest = &text[text.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some(Stat {
        state: f.first()?.chars().next()?,
        ppid: f.get(1)?.parse().ok()?,
        pgrp: f.get(2)?.parse().ok()?,
        start_time: f.get(19)?.parse().ok()?,
    })
}

/// The process's start time in clock ticks since boot, if it exists.
pub fn start_time(pid: u32) -> Option<u64> {
    stat(pid).map(|s| s.start_time)
}

/// The parent of `pid`, if it exists.
pub fn parent_of(pid: u32) -> Option<u32> {
    stat(pid).map(|s| s.ppid)
}

/// The process group of `pid`, if it exists.
pub fn group_of(pid: u32) -> Option<u32> {
    stat(pid).map(|s| s.pgrp)
}

/// The calling process's own start time, read with async-signal-safe calls only (open, read,
/// close) into a stack buffer: usable in a child between fork and exec.
pub fn own_start_time_signal_safe() -> Option<u64> {
    let mut buf = [0u8; 1024];
    // SAFETY: a NUL-terminated literal path; `buf` is ours and `read` writes at most its length.
    let len = unsafe {
        let fd = libc::open(c"/proc/self/stat".as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let mut len = 0usize;
        while len < buf.len() {
            let n = libc::read(fd, buf[len..].as_mut_ptr().cast(), buf.len() - len);
            if n <= 0 {
                break;
            }
            len += n as usize;
        }
        libc::close(fd);
        len
    };
    start_time_in_stat(&buf[..len])
}

/// Field 22 (starttime) of a `/proc/PID/stat` line, without allocating.
fn start_time_in_stat(line: &[u8]) -> Option<u64> {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses; starttime comes 19 fields
    // after the state (as in `stat`).
    let close = line.iter().rposition(|b| *b == b')')?;
    let field = line[close + 1..].split(|b| *b == b' ').filter(|f| !f.is_empty()).nth(19)?;
    let mut value: u64 = 0;
    for b in field.iter().take_while(|b| b.is_ascii_digit()) {
        value = value.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
    }
    (!field.is_empty() && field[0].is_ascii_digit()).then_some(value)
}

/// Live processes, other than this one, holding a descriptor of `file`'s open file description
/// that owns a `flock` on it (seen in `/proc/PID/fdinfo/FD`, which lists only the locks owned
/// through that very descriptor). Such a process inherited the lock; it cannot be a stranger.
pub fn flock_holders(file: &File) -> Vec<u32> {
    let Ok(meta) = file.metadata() else { return Vec::new() };
    let (dev, ino) = (meta.dev(), meta.ino());
    let me = std::process::id();
    let Ok(dir) = std::fs::read_dir("/proc") else { return Vec::new() };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != me)
        .filter(|pid| {
            let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else { return false };
            fds.filter_map(Result::ok).any(|fd| {
                std::fs::metadata(fd.path()).is_ok_and(|m| m.dev() == dev && m.ino() == ino)
                    && std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy()))
                        .is_ok_and(|info| info.lines().any(|l| l.starts_with("lock:") && l.contains("FLOCK")))
            })
        })
        .collect()
}

/// SIGKILLs one process (not its group). False if it no longer exists.
pub fn kill_process(pid: u32) -> bool {
    if pid <= 1 {
        return false;
    }
    // SAFETY: kill(2) on a single pid; no memory is involved.
    unsafe { libc::kill(pid as i32, libc::SIGKILL) == 0 }
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
        assert_eq!(group_of(me), Some(pgrp));
        // SAFETY: getppid has no preconditions.
        assert_eq!(parent_of(me), Some(unsafe { libc::getppid() } as u32));
    }

    #[test]
    fn reads_its_own_start_time_without_allocating() {
        assert_eq!(own_start_time_signal_safe(), start_time(std::process::id()));
        let line = b"42 (a) b (c)) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 1 2 3\n";
        assert_eq!(start_time_in_stat(line), Some(123_456));
        assert_eq!(start_time_in_stat(b"42 (x) S 1 2"), None);
    }

    #[test]
    fn finds_who_holds_a_flock_and_only_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("trava");
        let file = File::create(&path).unwrap();
        // A child that inherits the locked description, one that only opens the file, and us.
        // SAFETY: flock on a descriptor we own.
        assert_eq!(unsafe { libc::flock(std::os::fd::AsRawFd::as_raw_fd(&file), libc::LOCK_EX) }, 0);
        let fd = std::os::fd::AsRawFd::as_raw_fd(&file);
        let mut holder = std::process::Command::new("sleep");
        holder.arg("30");
        // SAFETY: fcntl is async-signal-safe; it clears close-on-exec on the inherited descriptor.
        unsafe {
            std::os::unix::process::CommandExt::pre_exec(&mut holder, move || {
                if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut holder = holder.spawn().unwrap();
        let mut reader =
            std::process::Command::new("sleep").arg("30").stdin(File::open(&path).unwrap()).spawn().unwrap();
        let holders = flock_holders(&file);
        for child in [&mut holder, &mut reader] {
            let _ = child.kill();
            let _ = child.wait();
        }
        // (Another test's child may hold a copy for an instant, between its fork and its exec.)
        assert!(holders.contains(&holder.id()), "{holders:?}");
        assert!(!holders.contains(&reader.id()), "a descriptor without the lock does not count");
    }
}

//! The robot's side of the preflight: `RPA_COMMAND --verificar` (contract §1) in its own process
//! group, bounded in time, with the service's environment (as a quote's robot gets it). It answers
//! with one JSON line `{"status", "verificacoes": [{item, ok, mensagem, correcao}]}`.

use super::findings::Check;
use crate::config::values::RobotCommand;
use crate::contract::robot_browser::Endpoint;
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The longest the robot's check may take (it starts Chromium and reaches the portal).
const BOUND: Duration = Duration::from_secs(90);

/// `browser`: the service's shared browser, given as to a quote's robot.
pub fn checks(command: &RobotCommand, browser: Option<&Endpoint>) -> Vec<Check> {
    let fix = "confira RPA_COMMAND (programa e argumentos, relativos ao diretório de trabalho do serviço) e rode scripts/setup.sh";
    let mut cmd = Command::new(&command.program);
    cmd.args(&command.args)
        .arg("--verificar")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0);
    if let Some(endpoint) = browser {
        crate::contract::robot_browser::hand_to(&mut cmd, endpoint);
    }
    let spawned = cmd.spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return vec![Check::problem(
                "robo",
                format!("o programa do robô \"{}\" não pôde ser executado: {e}", command.program),
                fix,
            )];
        }
    };
    let pid = child.id();
    // Read both pipes on their own threads so a chatty robot cannot block on a full pipe.
    let (mut out, mut err) = (child.stdout.take(), child.stderr.take());
    let out_reader = std::thread::spawn(move || read_all(out.as_mut()));
    let err_reader = std::thread::spawn(move || read_all(err.as_mut()));
    let deadline = Instant::now() + BOUND;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if Instant::now() >= deadline => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break None,
        }
    };
    // Whatever the robot left in its group (a browser) goes with it.
    crate::unix::process_group::kill_and_wait(pid, Duration::from_secs(5));
    let _ = child.wait();
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    let Some(status) = status else {
        return vec![Check::problem(
            "robo",
            format!("o robô não terminou a verificação em {} s", BOUND.as_secs()),
            fix,
        )];
    };
    match parse(&stdout) {
        Some(items) if !items.is_empty() => {
            let mut all = vec![Check::ok("robo", format!("\"{}\" respondeu à verificação", command.program))];
            all.extend(items);
            all
        }
        _ => {
            let last =
                stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").chars().take(200).collect::<String>();
            let code = status.code().map_or_else(|| "um sinal".to_string(), |c| format!("o código {c}"));
            vec![Check::problem(
                "robo",
                format!(
                    "o robô terminou com {code} sem responder à verificação (--verificar){}",
                    if last.is_empty() { String::new() } else { format!(": {last}") }
                ),
                fix,
            )]
        }
    }
}

fn read_all(r: Option<&mut impl Read>) -> String {
    let mut s = String::new();
    if let Some(r) = r {
        let mut buf = Vec::new();
        let _ = r.take(1 << 20).read_to_end(&mut buf);
        s = String::from_utf8_lossy(&buf).into_owned();
    }
    s
}

/// The robot's answer: its last JSON line on stdout.
fn parse(stdout: &str) -> Option<Vec<Check>> {
    let line = stdout.lines().rev().find(|l| l.trim_start().starts_with('{'))?;
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let items = v.get("verificacoes")?.as_array()?;
    let text = |i: &serde_json::Value, k: &str| {
        i.get(k).and_then(|x| x.as_str()).unwrap_or("").chars().take(500).collect::<String>()
    };
    items
        .iter()
        .map(|i| {
            let item = text(i, "item");
            let ok = i.get("ok")?.as_bool()?;
            (!item.is_empty()).then(|| Check { item, ok, mensagem: text(i, "mensagem"), correcao: text(i, "correcao") })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_json_line_is_the_answer() {
        let out = "ruído\n{\"status\":\"erro\",\"verificacoes\":[{\"item\":\"credenciais\",\"ok\":false,\"mensagem\":\"ausentes\",\"correcao\":\"defina\"}]}\n";
        let checks = parse(out).unwrap();
        assert_eq!(checks, vec![Check::problem("credenciais", "ausentes", "defina")]);
        assert!(parse("nada").is_none());
        assert!(parse("{\"verificacoes\":[{\"ok\":true}]}").is_none());
    }
}

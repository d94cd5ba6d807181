//! How a robot is given the service's shared browser (contract §1): the browser server's endpoint
//! in `RPA_BROWSER_SERVER`, in the robot's environment — readable by the service's user only,
//! unlike a command line — and no operator's `RPA_BROWSER_ENDPOINT` beside it. Whoever holds the
//! endpoint can drive every page of the browser, so the type never prints it.

use std::process::Command;

/// A secret endpoint: shown as `***` by `Debug`, so no log line can carry it by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    pub fn new(endpoint: String) -> Endpoint {
        Endpoint(endpoint)
    }

    /// The endpoint itself, for a robot's environment only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Endpoint(***)")
    }
}

/// Gives a robot (a quote's, or the preflight's) the service's browser: `RPA_BROWSER_SERVER` in
/// its environment, and no operator's `RPA_BROWSER_ENDPOINT` beside it.
pub fn hand_to(command: &mut Command, endpoint: &Endpoint) {
    command.env("RPA_BROWSER_SERVER", endpoint.expose()).env_remove("RPA_BROWSER_ENDPOINT");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_never_prints() {
        let e = Endpoint::new("ws://127.0.0.1:4000/0123456789abcdef0123456789abcdef".into());
        assert_eq!(format!("{e:?}"), "Endpoint(***)");
        assert!(!format!("{:?}", Some(e.clone())).contains("0123"));
    }

    #[test]
    fn a_robot_gets_the_server_and_not_an_operators_endpoint() {
        let mut command = Command::new("true");
        command.env("RPA_BROWSER_ENDPOINT", "http://outra:9222");
        hand_to(&mut command, &Endpoint::new("ws://127.0.0.1:4000/segredo".into()));
        let env: Vec<_> = command.get_envs().map(|(k, v)| (k.to_owned(), v.map(|v| v.to_owned()))).collect();
        assert!(env.contains(&("RPA_BROWSER_SERVER".into(), Some("ws://127.0.0.1:4000/segredo".into()))));
        assert!(env.contains(&("RPA_BROWSER_ENDPOINT".into(), None)));
    }
}

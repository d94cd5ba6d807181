//! The HTTP server: the accept loop and the HTTP/1.1 connections of the API, with the limits of
//! [`HttpLimits`] — at most `max_connections` open at once (the ones above are accepted and closed
//! at once, so `accept()` never runs out of file descriptors), a deadline for a request's headers,
//! a deadline for idle connections, and a graceful stop. The body deadline belongs to the
//! handlers that read a body, through [`crate::api::json_body`].
//!
//! How each limit is enforced:
//! - headers: hyper's `header_read_timeout`. Its clock starts whenever hyper waits for a request
//!   head — at accept and again after each response — so it also bounds a keep-alive connection
//!   that sends nothing.
//! - idle: a watchdog per connection closes it once no handler is running and no byte has moved
//!   either way for `idle_timeout` (a silent keep-alive connection, or a client that stopped
//!   reading its response).
//! - connections: a semaphore; each connection holds a permit until it closes. Stopping waits for
//!   every permit, that is for every open connection to finish its request.

use crate::config::settings::HttpLimits;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::Request;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

/// The API as the server takes it: the router, told each connection's peer address
/// (`ConnectInfo<SocketAddr>`).
pub type App = IntoMakeServiceWithConnectInfo<Router, SocketAddr>;

/// Pause after a failed `accept()` (EMFILE and the like): the listener stays readable, so trying
/// again at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// A condition that repeats (accept errors, refused connections) is logged at most this often.
const LOG_EVERY: Duration = Duration::from_secs(60);

/// File descriptors kept for everything but client connections (SQLite, robots' pipes, webhook
/// deliveries, logs, the listener), at most half of the process's limit.
const FD_RESERVE: u64 = 256;

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and returns once
/// every open connection has finished. Accept errors are logged (throttled) and never end it.
pub async fn serve(listener: TcpListener, app: App, limits: &HttpLimits, shutdown: impl Future<Output = ()>) {
    let max = connection_limit(limits.max_connections, raise_fd_limit());
    if limits.idle_timeout > limits.header_timeout {
        tracing::warn!(
            ocioso_s = limits.idle_timeout.as_secs_f64(),
            cabecalhos_s = limits.header_timeout.as_secs_f64(),
            "RPA_HTTP_IDLE_TIMEOUT_S maior que RPA_HTTP_HEADER_TIMEOUT_S: conexões keep-alive paradas fecham antes, no prazo dos cabeçalhos"
        );
    }
    tracing::info!(
        max_conexoes = max,
        cabecalhos_s = limits.header_timeout.as_secs_f64(),
        corpo_s = limits.body_timeout.as_secs_f64(),
        ocioso_s = limits.idle_timeout.as_secs_f64(),
        "limites das conexões HTTP"
    );

    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout).keep_alive(true);
    let permits = Arc::new(Semaphore::new(max as usize));
    let (stop_tx, stop_rx) = watch::channel(false);
    let (mut accept_errors, mut refusals) = (Throttle::default(), Throttle::default());
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            // The client gave up before we took its connection: nothing wrong with the listener.
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                if let Some(unlogged) = accept_errors.hit(std::time::Instant::now()) {
                    tracing::error!(error = %e, repeticoes_sem_aviso = unlogged, "falha ao aceitar conexões; tentando de novo a cada 100 ms");
                }
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        let Ok(permit) = permits.clone().try_acquire_owned() else {
            if let Some(unlogged) = refusals.hit(std::time::Instant::now()) {
                tracing::warn!(
                    max_conexoes = max,
                    recusas_sem_aviso = unlogged,
                    "limite de conexões HTTP atingido: conexões novas são recusadas"
                );
            }
            drop(stream);
            continue;
        };
        let connection =
            Connection { builder: builder.clone(), idle: limits.idle_timeout, stop: stop_rx.clone(), _permit: permit };
        tokio::spawn(connection.serve(stream, peer, app.clone()));
    }

    drop(listener);
    let _ = stop_tx.send(true);
    let open = max as usize - permits.available_permits();
    if open > 0 {
        tracing::info!(conexoes = open, "aguardando as conexões abertas terminarem");
    }
    let _ = permits.acquire_many(max).await;
}

/// One accepted connection and what it needs to be served.
struct Connection {
    builder: http1::Builder,
    idle: Duration,
    stop: watch::Receiver<bool>,
    /// Returned to the semaphore when the connection ends.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn serve(mut self, stream: TcpStream, peer: SocketAddr, app: App) {
        let router = app.oneshot(peer).await.unwrap_or_else(|never| match never {});
        let activity = Arc::new(Activity::new());
        let service = {
            let activity = activity.clone();
            ServiceExt::<Request<Incoming>>::map_future(router, move |response| {
                let busy = Busy::new(activity.clone());
                async move {
                    let response = response.await;
                    drop(busy);
                    response
                }
            })
        };
        let io = TokioIo::new(Metered { stream, activity: activity.clone() });
        let conn = self.builder.serve_connection(io, TowerToHyperService::new(service));
        tokio::pin!(conn);
        let mut stopping = false;
        loop {
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, %peer, "conexão HTTP encerrada com erro");
                    }
                    return;
                }
                _ = self.stop.wait_for(|stop| *stop), if !stopping => {
                    // Idle connections close now; one with a request in progress after its response.
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
                () = tokio::time::sleep_until(activity.next_check(self.idle)) => {
                    if activity.is_idle(self.idle) {
                        tracing::debug!(%peer, "conexão HTTP ociosa fechada");
                        return;
                    }
                }
            }
        }
    }
}

/// When bytes last moved on a connection, and how many of its requests are being handled.
struct Activity {
    start: Instant,
    /// Milliseconds after `start` of the last byte read or written, or of the last handler's end.
    last_ms: AtomicU64,
    handling: AtomicUsize,
}

impl Activity {
    fn new() -> Activity {
        Activity { start: Instant::now(), last_ms: AtomicU64::new(0), handling: AtomicUsize::new(0) }
    }

    fn touch(&self) {
        self.last_ms.store(self.start.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    fn quiet_since(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }

    /// When the connection could next be idle for `idle` (no earlier than now while a handler runs).
    fn next_check(&self, idle: Duration) -> Instant {
        if self.handling.load(Ordering::Relaxed) > 0 {
            Instant::now() + idle
        } else {
            self.quiet_since() + idle
        }
    }

    fn is_idle(&self, idle: Duration) -> bool {
        self.handling.load(Ordering::Relaxed) == 0 && Instant::now() >= self.quiet_since() + idle
    }
}

/// A request being handled: the connection is not idle, whatever its bytes do.
struct Busy(Arc<Activity>);

impl Busy {
    fn new(activity: Arc<Activity>) -> Busy {
        activity.handling.fetch_add(1, Ordering::Relaxed);
        Busy(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.touch();
        self.0.handling.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The TCP stream, recording in [`Activity`] every read or write that moved bytes.
struct Metered {
    stream: TcpStream,
    activity: Arc<Activity>,
}

impl AsyncRead for Metered {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.stream).poll_read(cx, buf);
        if buf.filled().len() > before {
            this.activity.touch();
        }
        polled
    }
}

impl AsyncWrite for Metered {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        polled
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            this.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

/// Errors of one incoming connection (the client went away), not of the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

/// Throttles the log of a repeating condition: the first occurrence is logged, then at most one
/// every [`LOG_EVERY`], saying how many went unlogged in between.
#[derive(Debug, Default)]
struct Throttle {
    last_logged: Option<std::time::Instant>,
    unlogged: u64,
}

impl Throttle {
    /// Counts one occurrence; `Some(n)` when this one is to be logged, `n` being the occurrences
    /// since the last log that were not.
    fn hit(&mut self, now: std::time::Instant) -> Option<u64> {
        match self.last_logged {
            Some(at) if now.saturating_duration_since(at) < LOG_EVERY => {
                self.unlogged += 1;
                None
            }
            _ => {
                self.last_logged = Some(now);
                Some(std::mem::take(&mut self.unlogged))
            }
        }
    }
}

/// Raises the soft limit on open files to the hard one (outside systemd the soft limit is often
/// 1024) and logs both; returns the soft limit in force, `None` if it cannot be read.
fn raise_fd_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        tracing::warn!(error = %io::Error::last_os_error(), "não foi possível ler o limite de arquivos abertos");
        return None;
    }
    let before = limit.rlim_cur;
    // Linux refuses more than fs.nr_open (2^20 by default) even when the hard limit is unlimited.
    let target = limit.rlim_max.min(1 << 20);
    if before >= target {
        tracing::info!(limite_arquivos = before, "limite de arquivos abertos");
        return Some(before);
    }
    let raised = libc::rlimit { rlim_cur: target, rlim_max: limit.rlim_max };
    // SAFETY: setrlimit only reads the struct it is given.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } != 0 {
        tracing::warn!(limite_arquivos = before, error = %io::Error::last_os_error(), "não foi possível aumentar o limite de arquivos abertos");
        return Some(before);
    }
    tracing::info!(
        antes = before,
        limite_arquivos = target,
        "limite de arquivos abertos aumentado até o máximo permitido"
    );
    Some(target)
}

/// The connection limit in force: the configured one, lowered (with a warning) when the process
/// may not open that many files next to everything else it needs.
fn connection_limit(configured: u32, open_files: Option<u64>) -> u32 {
    let Some(files) = open_files else { return configured };
    let room = files.saturating_sub(FD_RESERVE.min(files / 2)).max(16);
    if u64::from(configured) <= room {
        return configured;
    }
    let lowered = room.min(u64::from(u32::MAX)) as u32;
    tracing::warn!(
        configurado = configured,
        em_vigor = lowered,
        limite_arquivos = files,
        "RPA_HTTP_MAX_CONNECTIONS acima do que o limite de arquivos abertos permite: usando um limite menor"
    );
    lowered
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::ConnectInfo;
    use axum::routing::get;
    use std::time::Instant as StdInstant;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn a_repeating_condition_is_logged_once_a_minute_with_the_count_in_between() {
        let mut t = Throttle::default();
        let t0 = StdInstant::now();
        assert_eq!(t.hit(t0), Some(0));
        for s in 1..=59 {
            assert_eq!(t.hit(t0 + Duration::from_secs(s)), None, "second {s}");
        }
        assert_eq!(t.hit(t0 + Duration::from_secs(60)), Some(59));
        assert_eq!(t.hit(t0 + Duration::from_secs(61)), None);
        assert_eq!(t.hit(t0 + Duration::from_secs(600)), Some(1));
    }

    #[test]
    fn the_connection_limit_leaves_file_descriptors_for_the_rest() {
        assert_eq!(connection_limit(1024, Some(1 << 20)), 1024);
        assert_eq!(connection_limit(1024, None), 1024);
        assert_eq!(connection_limit(1024, Some(1024)), 768);
        assert_eq!(connection_limit(1024, Some(256)), 128);
        assert_eq!(connection_limit(64, Some(256)), 64);
        assert_eq!(connection_limit(1024, Some(20)), 16);
    }

    fn limits(idle_s: u64) -> HttpLimits {
        HttpLimits {
            header_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(idle_s),
            max_connections: 16,
        }
    }

    /// Reads until the server closes the connection (bounded); returns what it sent.
    async fn read_to_close(stream: &mut TcpStream) -> String {
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut out)).await.expect("server closed").ok();
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn handlers_see_the_peer_and_a_stop_lets_the_request_in_progress_finish() {
        let (entered_tx, entered_rx) = tokio::sync::oneshot::channel::<()>();
        let entered_tx = Arc::new(std::sync::Mutex::new(Some(entered_tx)));
        let release = Arc::new(tokio::sync::Notify::new());
        let app = Router::new()
            .route("/peer", get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }))
            .route(
                "/slow",
                get({
                    let release = release.clone();
                    move || async move {
                        if let Some(tx) = entered_tx.lock().unwrap().take() {
                            let _ = tx.send(());
                        }
                        release.notified().await;
                        "fim"
                    }
                }),
            );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            serve(listener, app.into_make_service_with_connect_info::<SocketAddr>(), &limits(30), async {
                let _ = stop_rx.await;
            })
            .await
        });

        let mut client = TcpStream::connect(addr).await.unwrap();
        let me = client.local_addr().unwrap();
        client.write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
        let answer = read_to_close(&mut client).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with(&me.to_string()), "the handler saw the client's address: {answer}");

        let mut slow = TcpStream::connect(addr).await.unwrap();
        slow.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        tokio::time::timeout(Duration::from_secs(30), entered_rx).await.expect("handler entered").unwrap();
        stop_tx.send(()).unwrap();
        // The listener goes away at once: new connections are refused (bounded wait).
        let deadline = StdInstant::now() + Duration::from_secs(30);
        while TcpStream::connect(addr).await.is_ok() {
            assert!(StdInstant::now() < deadline, "still accepting after the stop");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut server = server;
        let early = tokio::time::timeout(Duration::from_millis(500), &mut server).await;
        assert!(early.is_err(), "the server waits for the request in progress");
        release.notify_one();
        let answer = read_to_close(&mut slow).await;
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("fim"), "{answer}");
        tokio::time::timeout(Duration::from_secs(30), server).await.expect("server ended").unwrap();
    }

    #[tokio::test]
    async fn an_idle_keep_alive_connection_is_closed_but_not_while_its_handler_runs() {
        let release = Arc::new(tokio::sync::Notify::new());
        let app = Router::new().route(
            "/slow",
            get({
                let release = release.clone();
                move || async move {
                    release.notified().await;
                    "fim"
                }
            }),
        );
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            serve(listener, app.into_make_service_with_connect_info::<SocketAddr>(), &limits(1), std::future::pending())
                .await
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        // Over two idle periods with the handler still running: the connection stays open.
        let mut byte = [0u8; 1];
        let waited = tokio::time::timeout(Duration::from_millis(2500), client.read(&mut byte)).await;
        assert!(waited.is_err(), "the connection stayed open while its handler ran: {waited:?}");
        release.notify_one();
        // Then the response, and the keep-alive connection closes once idle.
        let answer = read_to_close(&mut client).await;
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("fim"), "{answer}");
    }
}

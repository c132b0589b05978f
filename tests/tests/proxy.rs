//! The proxy variant: an HTTP handler of ours (`tests/proxy`) fused with
//! `dist/wasi_snapshot_preview1.proxy.wasm` must instantiate in a linker that
//! provides only the `wasi:http/proxy` world (wasmtime-wasi-http's), and
//! serve a real request, logging to stderr through preview1.

use std::future::Future;

use adapter_tests::{build_wasip1_package, engine, fuse, root};
use http_body_util::BodyExt;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::Store;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::sync::Proxy;
use wasmtime_wasi_http::{RequestOptions, WasiBody, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    hooks: NoOutgoingRequests,
    table: ResourceTable,
}

/// The handler makes no outgoing requests; refuse any it would make.
struct NoOutgoingRequests;

type Responding = Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>;

impl WasiHttpHooks for NoOutgoingRequests {
    fn send_request(
        &mut self,
        _: hyper::Request<WasiBody>,
        _: Option<RequestOptions>,
        _: Responding,
    ) -> Box<dyn Future<Output = Result<(hyper::Response<WasiBody>, Responding), wasmtime_wasi_http::Error>> + Send> {
        Box::new(async { Err(wasmtime_wasi_http::Error::InternalError(Some("no outgoing requests here".into()))) })
    }
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView { ctx: &mut self.http, table: &mut self.table, hooks: &mut self.hooks }
    }
}

fn handler_component() -> Component {
    let module = std::fs::read(build_wasip1_package("proxy").join("proxy_handler.wasm")).unwrap();
    let adapter = std::fs::read(root().join("dist/wasi_snapshot_preview1.proxy.wasm")).expect("run ./build.sh first");
    Component::new(engine(), fuse(&module, &adapter).unwrap()).unwrap()
}

/// Serves one GET of `path`; returns (status, body, the host's stderr).
fn serve(component: &Component, path: &str) -> (u16, String, String) {
    let (result, stderr) = try_serve(component, path);
    let (status, body) = result.unwrap();
    (status, body, stderr)
}

/// Like [`serve`], with the handler's failure (a trap) as an error.
fn try_serve(component: &Component, path: &str) -> (wasmtime::Result<(u16, String)>, String) {
    let mut linker = Linker::<State>::new(engine());
    // The proxy world's interfaces, nothing else: no filesystem, no environment.
    wasmtime_wasi_http::p2::add_to_linker_sync(&mut linker).unwrap();
    let stderr = MemoryOutputPipe::new(1 << 20);
    let wasi = WasiCtx::builder().stderr(stderr.clone()).build();
    let mut store = Store::new(engine(), State { wasi, http: WasiHttpCtx::new(), hooks: NoOutgoingRequests, table: ResourceTable::new() });
    let request = hyper::Request::builder()
        .uri(format!("http://localhost{path}"))
        .body(http_body_util::Empty::<bytes::Bytes>::new())
        .unwrap();
    let request = store.data_mut().http().new_incoming_request(Scheme::Http, request).unwrap();
    let (sender, mut receiver) = tokio::sync::oneshot::channel();
    let outparam = store.data_mut().http().new_response_outparam(sender).unwrap();
    let proxy = Proxy::instantiate(&mut store, component, &linker).unwrap();
    let handled = proxy.wasi_http_incoming_handler().call_handle(&mut store, request, outparam);
    let stderr = String::from_utf8_lossy(&stderr.contents()).into_owned();
    let result = handled.map(|()| {
        let response = receiver.try_recv().expect("the handler set a response").expect("not an error response");
        let status = response.status().as_u16();
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let body = runtime.block_on(response.into_body().collect()).unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    });
    drop(store);
    (result, stderr)
}

#[test]
fn serves_a_request_in_the_proxy_world() {
    let component = handler_component();
    for path in ["/hello", "/second?x=1"] {
        let (status, body, stderr) = serve(&component, path);
        assert_eq!(status, 200);
        // No arguments, no environment, no filesystem (no preopen: ENOENT
        // from wasi-libc's path resolution), working clocks and random.
        assert_eq!(
            body,
            format!("path={path} args=0 env=0 wall_after_2020=Ok(true) monotonic_ok=true random_ok=true fs=Err(Some(44))\n")
        );
        assert_eq!(stderr, format!("proxy handler: serving {path}\n"));
    }
}

/// What the world lacks looks like nothing there: no arguments or
/// environment, no descriptor 3 (EBADF, 8) for files, directories and
/// sockets; a relative clock poll works.
#[test]
fn calls_needing_what_the_proxy_world_lacks() {
    let component = handler_component();
    let (status, body, _) = serve(&component, "/probe");
    assert_eq!(status, 200);
    assert_eq!(
        body,
        "args_sizes_get=0 0 0\n\
         environ_sizes_get=0 0 0\n\
         fd_prestat_get(3)=8\n\
         fd_prestat_get(1)=8\n\
         fd_prestat_dir_name(1)=54\n\
         fd_prestat_dir_name(3)=8\n\
         fd_fdstat_get(3)=8\n\
         fd_close(3)=8\n\
         fd_readdir(3)=8\n\
         path_open(3)=8\n\
         path_create_directory(3)=8\n\
         sock_accept(3)=8\n\
         poll_oneoff=0 n=1 userdata=9\n\
         clock_time_get(monotonic)=0 nonzero=true\n"
    );
}

/// `proc_exit` has no exit interface to call in the proxy world: it ends
/// the instance with a trap, after the log line was written.
#[test]
fn proc_exit_in_the_proxy_world_traps() {
    let component = handler_component();
    let (result, stderr) = try_serve(&component, "/exit");
    let error = result.expect_err("proc_exit must not return");
    assert!(format!("{error:?}").contains("unreachable"), "{error:?}");
    assert_eq!(stderr, "proxy handler: serving /exit\n");
}

#[test]
fn the_proxy_adapter_imports_only_the_proxy_world() {
    let component = handler_component();
    let imports: Vec<String> = component.component_type().imports(engine()).map(|(name, _)| name.to_string()).collect();
    for import in &imports {
        let allowed = ["wasi:cli/std", "wasi:clocks/", "wasi:random/random", "wasi:io/", "wasi:http/"];
        assert!(allowed.iter().any(|a| import.starts_with(a)), "{import} is outside wasi:http/proxy; all imports: {imports:?}");
    }
}

//! The library's logic as a command, for the native comparison: one line per call.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (file, var) = (&args[1], &args[2]);
    for call in 0..3 {
        println!("{}", reactor_probe::describe(call, file, var));
    }
}

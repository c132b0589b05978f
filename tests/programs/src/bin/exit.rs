//! Exits with the code given as argument, through the raw proc_exit.
fn main() {
    let code: u32 = p1_programs::arg(1).unwrap().parse().unwrap();
    println!("exiting with {code}");
    unsafe { p1_programs::p1::proc_exit(code) }
}

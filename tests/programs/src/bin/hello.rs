fn main() {
    println!("Hello, world!");
    eprintln!("a line on stderr");
}

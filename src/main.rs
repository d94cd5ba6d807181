fn main() {
    eprintln!("rpa-v4: em construção");
    std::process::exit(2);
}

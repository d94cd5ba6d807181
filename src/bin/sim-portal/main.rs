fn main() {
    eprintln!("sim-portal: em construção");
    std::process::exit(2);
}

//! Prints the problems of the survey files named on the command line.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        match voices_shared::Survey::parse(&text) {
            Ok(s) => println!("{path}: ok, {} questions", s.questions().count()),
            Err(p) => println!("{path}:\n{p}"),
        }
    }
}

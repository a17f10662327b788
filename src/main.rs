//! The `interceptmc` binary: parse, run, print the error chain, map it to an exit code
//! (0 ok, 1 a check failed, 2 bad input, 3 requested backend unavailable).

use std::process::ExitCode;

fn main() -> ExitCode {
    match interceptmc::cli::main() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(interceptmc::cli::exit_code(&err))
        }
    }
}

//! The pest binding of `grammar/buttress.pest`; nothing outside `syntax` sees `Rule`.

#[derive(pest_derive::Parser)]
#[grammar = "../../grammar/buttress.pest"]
pub struct BtrParser;

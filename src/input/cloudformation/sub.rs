//! The `${…}` placeholders of CloudFormation `Fn::Sub` strings, split by a logos lexer.

use logos::Logos;

#[derive(Logos, Debug, PartialEq, Clone, Copy)]
enum Token {
    /// `${!Literal}` stands for the text `${Literal}`.
    #[regex(r"\$\{![^}]*\}")]
    Escaped,
    #[regex(r"\$\{[^}!][^}]*\}")]
    Var,
    #[regex(r"[^$]+")]
    Text,
    #[token("$")]
    Dollar,
}

/// A piece of a `Fn::Sub` string.
#[derive(Debug, PartialEq)]
pub enum Part<'s> {
    Text(std::borrow::Cow<'s, str>),
    /// A name such as `BucketName`, `AWS::Region` or `Bucket.Arn`.
    Var(&'s str),
}

/// Split a `Fn::Sub` string into text and placeholders.
pub fn parts(s: &str) -> Vec<Part<'_>> {
    let mut lexer = Token::lexer(s);
    let mut out = Vec::new();
    while let Some(tok) = lexer.next() {
        let slice = lexer.slice();
        out.push(match tok {
            Ok(Token::Var) => Part::Var(slice[2..slice.len() - 1].trim()),
            Ok(Token::Escaped) => Part::Text(format!("${{{}}}", &slice[3..slice.len() - 1]).into()),
            _ => Part::Text(slice.into()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{parts, Part};

    #[test]
    fn placeholders_and_escapes() {
        assert_eq!(
            parts("arn:${AWS::Partition}:s3:::${Bucket}/${!Literal}$x"),
            vec![
                Part::Text("arn:".into()),
                Part::Var("AWS::Partition"),
                Part::Text(":s3:::".into()),
                Part::Var("Bucket"),
                Part::Text("/".into()),
                Part::Text("${Literal}".into()),
                Part::Text("$".into()),
                Part::Text("x".into()),
            ]
        );
        assert_eq!(
            parts("${Db.Endpoint.Address}"),
            vec![Part::Var("Db.Endpoint.Address")]
        );
        assert_eq!(
            parts("${unclosed"),
            vec![Part::Text("$".into()), Part::Text("{unclosed".into())]
        );
    }
}

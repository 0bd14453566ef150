//! Network builtins: cidr_contains, is_public_cidr (IPv4 and IPv6).

use crate::eval::value::Val;
use crate::ir::Builtin;
use std::net::IpAddr;

/// A CIDR block as (network bits, prefix length, bit width).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Block {
    net: u128,
    len: u32,
    width: u32,
}

impl Block {
    pub fn parse(text: &str) -> Option<Block> {
        let (addr, len) = match text.trim().split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
            None => (text.trim(), None),
        };
        let (bits, width) = match addr.parse::<IpAddr>().ok()? {
            IpAddr::V4(a) => (u128::from(u32::from(a)), 32),
            IpAddr::V6(a) => (u128::from(a), 128),
        };
        let len = len.unwrap_or(width);
        if len > width {
            return None;
        }
        Some(Block {
            net: bits & mask(len, width),
            len,
            width,
        })
    }

    /// Whether `other` lies wholly inside this block.
    pub fn covers(&self, other: &Block) -> bool {
        self.width == other.width
            && other.len >= self.len
            && other.net & mask(self.len, self.width) == self.net
    }
}

fn mask(len: u32, width: u32) -> u128 {
    if len == 0 {
        return 0;
    }
    let ones = u128::MAX << (128 - len);
    ones >> (128 - width)
}

const NOT_PUBLIC: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
];

pub fn call<'a>(b: Builtin, args: &[Val<'a>]) -> Option<Val<'a>> {
    let block = Block::parse(args[0].as_str()?)?;
    Some(Val::Bool(match b {
        Builtin::CidrContains => block.covers(&Block::parse(args[1].as_str()?)?),
        _ => !NOT_PUBLIC
            .iter()
            .filter_map(|p| Block::parse(p))
            .any(|p| p.covers(&block)),
    }))
}

#[cfg(test)]
mod tests {
    use super::Block;

    #[test]
    fn blocks() {
        let b = Block::parse("10.0.0.0/8").unwrap();
        assert!(b.covers(&Block::parse("10.1.2.3").unwrap()));
        assert!(!b.covers(&Block::parse("11.0.0.1").unwrap()));
        assert!(Block::parse("0.0.0.0/0").unwrap().covers(&b));
        assert!(Block::parse("::/0")
            .unwrap()
            .covers(&Block::parse("2001:db8::/32").unwrap()));
        assert!(Block::parse("10.0.0.0/33").is_none());
        assert!(Block::parse("nope").is_none());
    }
}

//! Calendar dates: `YYYY-MM-DD`, compared as days, and today's date in UTC (waiver expiry, the `today()` builtin).

/// A calendar day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parse `YYYY-MM-DD`; `None` for anything else or a day the month does not have.
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
        let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
        let d = Date { year, month, day };
        (text[..4].bytes().all(|c| c.is_ascii_digit())
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(d)
    }

    /// Today in UTC, or the date `BUTTRESS_TODAY` names (tests, reproducible reports).
    pub fn today() -> Date {
        if let Some(d) = std::env::var("BUTTRESS_TODAY")
            .ok()
            .and_then(|t| Date::parse(&t))
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// The civil date `days` after 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn dates_parse_compare_and_count_from_the_epoch() {
        let d = Date::parse("2027-03-31").unwrap();
        assert_eq!(d.to_string(), "2027-03-31");
        assert!(Date::parse("2027-02-29").is_none());
        assert!(Date::parse("2028-02-29").is_some());
        assert!(Date::parse("2027-3-31").is_none());
        assert!(Date::parse("+027-03-31").is_none());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("2027-03-30").unwrap() < d);
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(20_514).to_string(), "2026-03-02");
        assert_eq!(Date::from_days(11_016).to_string(), "2000-02-29");
    }
}

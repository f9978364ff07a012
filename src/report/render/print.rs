//! Fonts and the print style sheet of `index.html`: A4, tables not cut through a row and their
//! headers repeated, the map on a page of its own, page numbers in the page margin (Chromium
//! 131+ prints them; other browsers leave the margin blank).

use crate::report::lang::{Key, Lang};

/// Chinese fonts on Linux (Noto / Source Han, Debian's `fonts-noto-cjk`; WenQuanYi), macOS
/// (PingFang, Hiragino) and Windows (Microsoft YaHei, DengXian).
const CJK: &str = r#""Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "DengXian", "WenQuanYi Micro Hei""#;
/// Latin system fonts.
const LATIN: &str = r#"system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial"#;

/// The font stack of the page and the map: Chinese fonts first in a Chinese report (so that
/// Chinese punctuation and quotes take their full width), Latin fonts first otherwise.
pub(crate) fn font_stack(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{CJK}, {LATIN}, sans-serif"),
        Lang::En => format!("{LATIN}, {CJK}, sans-serif"),
    }
}

/// The page-number text as CSS `content`: `"第 " counter(page) " 页，共 " counter(pages) " 页"`.
fn page_counter(lang: Lang) -> String {
    let template = lang.t(Key::PrintFooter);
    let mut parts = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        let (lit, tail) = rest.split_at(i);
        if !lit.is_empty() {
            parts.push(format!("\"{lit}\""));
        }
        parts.push(if tail.starts_with("{0}") {
            "counter(page)".to_string()
        } else {
            "counter(pages)".to_string()
        });
        rest = &tail[3.min(tail.len())..];
    }
    if !rest.is_empty() {
        parts.push(format!("\"{rest}\""));
    }
    parts.join(" ")
}

/// The `@page` rule and the print media rules.
pub(crate) fn print_css(lang: Lang) -> String {
    format!(
        r#"
@page {{ size: A4; margin: 16mm 14mm 18mm;
  @bottom-center {{ content: {counter}; font-size: 9pt; color: #5b6670; font-family: {fonts}; }} }}
@media print {{
  * {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  body {{ font-size: 10.5pt; }} main {{ max-width: none; padding: 0; }}
  h1 {{ font-size: 20pt; }} h2 {{ font-size: 14pt; margin-top: 18pt; break-after: avoid; }}
  h2 + * {{ break-before: avoid; }} h2 + p.note {{ break-after: avoid; }}
  table {{ break-inside: avoid; font-size: 9pt; }} thead {{ display: table-header-group; }}
  tfoot {{ display: table-footer-group; }} tr, th, td {{ break-inside: avoid; }}
  .cards {{ grid-template-columns: repeat(4, 1fr); gap: 6pt; }} .card {{ padding: 6pt 8pt; }}
  .card .big {{ font-size: 20pt; }}
  .card, figure, .note, li, .conclusion {{ break-inside: avoid; }}
  .map-page {{ break-before: page; break-after: page; }}
  .map-page svg {{ width: 100%; height: auto; max-height: 240mm; }}
  .hists {{ gap: 8pt; }} .hists figure {{ width: 48%; }} .hists svg {{ width: 100%; height: auto; }}
  code, .mono {{ font-size: 8pt; }}
}}
"#,
        counter = page_counter(lang),
        fonts = font_stack(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_in_each_language() {
        assert_eq!(
            page_counter(Lang::Zh),
            r#""第 " counter(page) " 页，共 " counter(pages) " 页""#
        );
        assert_eq!(
            page_counter(Lang::En),
            r#""page " counter(page) " of " counter(pages)"#
        );
    }

    #[test]
    fn fonts_name_every_platform() {
        for lang in Lang::ALL {
            let f = font_stack(lang);
            for font in [
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "Microsoft YaHei",
                "PingFang SC",
            ] {
                assert!(f.contains(font), "{lang}: {font}");
            }
            assert!(f.ends_with("sans-serif"));
        }
        assert!(font_stack(Lang::Zh).starts_with("\"Noto Sans CJK SC\""));
        assert!(font_stack(Lang::En).starts_with("system-ui"));
    }

    #[test]
    fn print_rules() {
        let css = print_css(Lang::Zh);
        assert!(css.contains("size: A4"));
        assert!(css.contains(".map-page { break-before: page; break-after: page; }"));
        assert!(css.contains("thead { display: table-header-group; }"));
    }
}

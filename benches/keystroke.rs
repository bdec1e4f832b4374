//! The server-side cost of one keystroke in a ~6 KB postmortem: apply an incremental change
//! to the open document, lint it, and convert the diagnostics for the client (what the
//! worker does per debounced edit, less the write to stdout).
//!
//!   cargo bench --bench keystroke

use std::fmt::Write as _;

use divan::Bencher;
use lsp_types as lsp;
use pmlint::Config;
use pmlint::server::convert::{self, Encoding, OpenDocument};

fn main() {
    divan::main();
}

/// A markdown postmortem of about 6 KB: summary fields, a 52-entry timeline, analysis and
/// action items (5.9 KB), with one finding to convert (an untimed entry, PM201).
fn postmortem() -> String {
    let mut s = String::from(
        "# Checkout outage: payment API timeouts\n\n\
         **Date:** 2026-03-14  \n**Duration:** 09:12 - 11:37 UTC  \n**Severity:** SEV-2\n\n\
         ## Summary\n\nCheckout requests timed out for 2 hours 25 minutes after a connection \
         pool change in the payment API. About 18% of orders failed.\n\n\
         ## Impact\n\nCustomers in every region saw errors at checkout; 4,210 orders failed and \
         support received 312 tickets.\n\n## Timeline\n\n",
    );
    for i in 0..52 {
        let minute = 12 + i * 2;
        let _ = writeln!(
            s,
            "- {:02}:{:02} UTC: on-call engineer checked shard {i} of the payment database and \
             noted the pool usage",
            9 + minute / 60,
            minute % 60
        );
    }
    s.push_str(
        "- The team waited for the rollback to finish.\n\n\
         ## Root Cause\n\nThe pool limit was lowered from 200 to 20 in a config change that \
         skipped review, so requests queued behind the pool until they timed out.\n\n\
         ## Resolution\n\nThe change was reverted at 11:30 UTC and error rates returned to \
         normal by 11:37 UTC.\n\n## Corrective Actions\n\n\
         - [ ] Require review for pool settings (owner: @dana, due 2026-03-28)\n\
         - [ ] Alert on pool saturation above 80%\n\
         - [ ] Load-test the payment API before config rollouts (owner: @li, due 2026-04-04)\n",
    );
    s
}

#[divan::bench]
fn keystroke(bencher: Bencher) {
    let text = postmortem();
    assert!((5_500..7_000).contains(&text.len()), "{} bytes", text.len());
    let config = Config::default();
    let uri: lsp::Uri = "file:///tmp/postmortem.md"
        .parse()
        .unwrap_or_else(|_| unreachable!());
    let doc = OpenDocument::new(text, 1);
    // The document has findings, so their conversion is part of what is timed.
    assert!(!pmlint::lint_source(&doc.text, &config).is_empty());
    // Typing one character in the middle of the timeline.
    let at = lsp::Position::new(30, 20);
    let change = lsp::TextDocumentContentChangeEvent {
        range: Some(lsp::Range::new(at, at)),
        range_length: None,
        text: "x".into(),
    };
    bencher
        .with_inputs(|| doc.clone())
        .bench_local_values(|mut doc| {
            doc.apply(&change, Encoding::Utf16);
            let diags = pmlint::lint_source(&doc.text, &config);
            convert::diagnostics(&doc, &diags, &uri, Encoding::Utf16)
        });
}

"""開示請求・訂正請求・利用停止請求 (issue 15 §3; APPI since 2023-04): 受付, deadlines, four-eyes
decisions and the disclosure package (docs/operations/disclosure.md)."""

"""情報照会 through the 中間サーバ and the 情報提供ネットワークシステム (issue 13 §2; SEC-29–31)."""

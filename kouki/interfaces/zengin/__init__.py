"""全銀協 (Zengin) 120-byte files: 預金口座振替 (91) requests and results, 総合振込 (21) transfers."""

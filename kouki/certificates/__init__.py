"""資格確認書 / 資格情報のお知らせ: who gets which, issue (batch and counter), hand-over."""

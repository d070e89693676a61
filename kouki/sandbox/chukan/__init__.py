"""The simulated 中間サーバ platform and 情報提供ネットワークシステム (issue 13 §2): 符号 through a one-use
取得番号, the 照会許可用照合リスト and 提供許可証, simulated providers answering from synthetic data, answers
sealed to the city's key. Reached only through kouki.inquiries.network.IntermediateServer."""

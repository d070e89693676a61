"""Applications taken at the counter (issue 12 §1): 葬祭費, 療養費, 高額療養費, 減免, 徴収猶予, 簡易申告 …"""

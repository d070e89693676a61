"""Citizens' rights and accountability (issue 15): the 受付票 of inquiries and complaints about personal
information (SEC-38); disclosure, correction and suspension requests come here next."""

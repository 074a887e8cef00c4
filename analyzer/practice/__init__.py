"""`voicemail practice`: a local page where a rep records, gets scored and tries again."""

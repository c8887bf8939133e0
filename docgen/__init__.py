"""docgen: official documents under Decree 30/2020/NĐ-CP, from data to .docx and PDF."""

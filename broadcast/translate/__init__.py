"""Translation stage: term base, translation memory and machine translation for drafts.

Ethnic-language drafts are worksheets for bilingual editors: approved terms and sentences
are reused from the term base and the memory, machine translation fills what it can, and
every segment says where its text came from.
"""

"""The ways email reaches everydesk, all ending in `mail.inbound.receive`.

- `smtp`: an SMTP/LMTP listener for the mail server to deliver to;
- `imap`: polling of IMAP mailboxes;
- `pipe`: one message on standard input, for a mail server's pipe transport;
- `importer`: a maildir or mbox imported in bulk (history, never acknowledged).

Each door stores a message durably before it tells anyone it has it (an SMTP
250, an IMAP \\Seen, a zero exit status), so a crash never loses mail.
"""

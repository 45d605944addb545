"""Demo threads in the "Getting started" category (see forum/demo/content/__init__.py)."""

THREADS = [
    {
        "category": "getting-started",
        "author": "mod",
        "title": "Welcome! Please read before posting: how to ask a good question",
        "age_hours": 1440,
        "pinned": True,
        "locked": False,
        "accepted": None,
        "body": """\
Welcome to the **Northwind Cloud community**! This forum is where customers help each other
and where our support team drops in to answer questions. A few tips that get you a useful
answer much faster:

1. **Search first.** Many sync and billing questions have already been answered.
2. **Pick the right category** (desktop clients go in *Sync & backup*, phones and tablets in
   *Mobile apps*).
3. **Say what you're running:** the client version (*Help → About*), your OS version, and
   whether you're on a personal or team plan.
4. **Paste the exact error message** in a code span, like `SYNC_E_QUOTA_EXCEEDED`, or a code
   block for longer output.
5. **List what you already tried**, so nobody suggests it again.

If you attach logs, please remove file names you'd rather not share. The client logs live here:

```
Windows:  %LOCALAPPDATA%\\Northwind\\logs\\client.log
macOS:    ~/Library/Logs/Northwind/client.log
Linux:    ~/.local/state/northwind/client.log
```

**Never post your password, API keys or recovery codes.** Staff will never ask for them.

Billing problems that involve card details should go to a private ticket via
[the support portal](https://docs.example.com/support/contact) instead of a public thread.

Be kind, mark the reply that solved your problem as **accepted**, and have fun. 🙂
""",
        "replies": [
            {
                "author": "linh_nguyen",
                "after_hours": 30.0,
                "body": "Thanks for the log locations, I never would have found the macOS one "
                "on my own.",
            },
        ],
    },
    {
        "category": "getting-started",
        "author": "jenna_k",
        "title": 'Windows installer stuck on "Preparing your first backup" forever',
        "age_hours": 480,
        "pinned": False,
        "locked": False,
        "accepted": 1,
        "body": """\
Just signed up for the team trial and installed the desktop client (4.2.0) on a Windows 11
laptop. The setup wizard gets to **"Preparing your first backup…"** and the progress bar just
sits there. It's been over an hour. Task Manager shows `NorthwindAgent.exe` at 0% CPU.

Things I tried:

- Cancelling and re-running the wizard (same thing)
- Rebooting
- Running the installer as administrator

The laptop has about 180 GB in Documents and Desktop, if that matters. Is it actually doing
something or is it hung?
""",
        "replies": [
            {
                "author": "marco_r",
                "after_hours": 1.5,
                "body": "Had something similar on our office PC. I left it overnight and it "
                "was done in the morning, but mine was showing CPU activity, so maybe not the "
                "same problem.",
            },
            {
                "author": "sam_support",
                "after_hours": 3.0,
                "body": """\
Hi Jenna, thanks for the detail! With 0% CPU it's almost certainly waiting on something
rather than scanning. The most common cause is antivirus or "controlled folder access"
blocking the agent from reading your Documents folder. Could you try this:

1. Open **Windows Security → Virus & threat protection → Ransomware protection**.
2. Under **Controlled folder access**, choose **Allow an app through Controlled folder access**.
3. Add `C:\\Program Files\\Northwind\\NorthwindAgent.exe`.
4. If you use a third-party antivirus, add the same path to its exclusions.
5. Restart the agent from the tray icon (**Quit**, then start Northwind Cloud again).

The first scan of ~180 GB usually takes 20–40 minutes before the upload starts. If it's still
stuck, check `client.log` for a line containing `ACCESS_DENIED` and paste it here.

More detail: https://docs.example.com/desktop/windows/first-backup
""",
            },
            {
                "author": "jenna_k",
                "after_hours": 5.0,
                "body": "That was it! Controlled folder access was silently blocking it. "
                "Scan finished in about 25 minutes and it's uploading now. Thank you!",
            },
        ],
    },
    {
        "category": "getting-started",
        "author": "dave_builds",
        "title": "How do I exclude node_modules (and other junk folders) from backup?",
        "age_hours": 864,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
I'm a developer and my `~/code` folder is mostly `node_modules`, `.venv` and `target/`
directories. The backup has been running for two days and is at 1.4 million files. 😩

Is there a way to exclude folders by name everywhere, not one by one in the settings dialog?
""",
        "replies": [
            {
                "author": "tomasz_w",
                "after_hours": 0.75,
                "body": """\
Yes, drop a `.nwignore` file in the root of the backup set. It uses gitignore-style patterns:

```gitignore
# ~/code/.nwignore
node_modules/
.venv/
target/
*.pyc
.DS_Store
```

Then hit **Rescan** in the backup set menu. It took my file count from 900k to about 60k.
""",
            },
            {
                "author": "dave_builds",
                "after_hours": 2.0,
                "body": "Perfect, exactly what I needed. Down to 48k files. Thanks!",
            },
            {
                "author": "priya_staff",
                "after_hours": 4.0,
                "body": """\
Great answer, Tomasz! Two small notes for anyone finding this later:

- `.nwignore` applies to **backup sets and sync folders** on desktop clients 4.1 and newer.
- Files that were already uploaded aren't deleted from the cloud automatically. You can purge
  them under **Dashboard → Storage → Excluded files**.

Pattern reference: https://docs.example.com/desktop/ignore-files
""",
            },
        ],
    },
    {
        "category": "getting-started",
        "author": "ruth_accounting",
        "title": "What's the difference between a Sync folder and a Backup set?",
        "age_hours": 72,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": "Setting this up for our office and the wizard asks me to choose. "
        "Which one do I want for our shared invoices folder?",
        "replies": [
            {
                "author": "priya_staff",
                "after_hours": 2.5,
                "body": """\
Good question, it trips a lot of people up:

- **Sync folder**: the same files on every device and in the web dashboard. Changes and
  deletions go *both ways*, so if a colleague deletes a file, it disappears for everyone
  (it's kept in **Trash** for 30 days).
- **Backup set**: a one-way copy from one computer to the cloud, with version history
  (90 days on Business plans). Deleting a file on the computer does **not** delete the backup.

For a shared invoices folder that several people edit, use a **Sync folder** shared with your
team. If you also want protection against accidental deletion beyond 30 days, add the same
folder to a backup set on one machine.

See https://docs.example.com/concepts/sync-vs-backup
""",
            },
        ],
    },
]

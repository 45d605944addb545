"""Demo content for the ``flask seed-demo`` command.

Pure data: no imports from the application. The fictional company is "Northwind Cloud", which
sells a cloud backup + file sync product for small businesses (desktop clients for
Windows/macOS/Linux, mobile apps, a web dashboard, team accounts, billing and an API).

All names, emails, error codes and links are invented. Thread ``age_hours`` is how long ago the
question was asked; each reply's ``after_hours`` is measured from the question, and is always
smaller than the thread's age. ``accepted`` is an index into ``replies`` (or ``None``).
"""

DEMO_PASSWORD = "demo-password"

CATEGORIES = [
    {
        "name": "Getting started",
        "slug": "getting-started",
        "description": "Installing the apps, setting up your first backup and finding your way "
        "around Northwind Cloud.",
    },
    {
        "name": "Sync & backup",
        "slug": "sync-backup",
        "description": "Desktop clients for Windows, macOS and Linux: sync folders, backup sets, "
        "restores, conflicts and performance.",
    },
    {
        "name": "Billing & accounts",
        "slug": "billing-accounts",
        "description": "Plans, invoices, payment methods, team accounts, seats and ownership.",
    },
    {
        "name": "Mobile apps",
        "slug": "mobile-apps",
        "description": "The iOS and Android apps: camera uploads, offline files and app settings.",
    },
    {
        "name": "API & integrations",
        "slug": "api-integrations",
        "description": "The REST API, OAuth apps, webhooks and connecting Northwind Cloud to "
        "other tools.",
    },
]

USERS = [
    {
        "username": "admin",
        "email": "admin@example.com",
        "role": "admin",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "mod",
        "email": "mod@example.com",
        "role": "moderator",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "sam_support",
        "email": "sam.support@example.com",
        "role": "staff",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "priya_staff",
        "email": "priya.staff@example.com",
        "role": "staff",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "jenna_k",
        "email": "jenna.k@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "marco_r",
        "email": "marco.r@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "dave_builds",
        "email": "dave.builds@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "linh_nguyen",
        "email": "linh.nguyen@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "tomasz_w",
        "email": "tomasz.w@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
    {
        "username": "ruth_accounting",
        "email": "ruth.accounting@example.com",
        "role": "customer",
        "password": DEMO_PASSWORD,
    },
]

THREADS = [
    # ------------------------------------------------------------------ Getting started
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
    # ------------------------------------------------------------------ Sync & backup
    {
        "category": "sync-backup",
        "author": "sam_support",
        "title": "[Resolved] Sync delays and failed uploads in the EU-West region",
        "age_hours": 288,
        "pinned": True,
        "locked": True,
        "accepted": None,
        "body": """\
**Status: investigating**

We're seeing elevated error rates for uploads and sync in the **EU-West** region starting at
09:40 UTC. Affected clients may show `SYNC_E_UPSTREAM_503` or stay on "Waiting to sync…".

- Your files are safe: nothing is lost, and clients will retry automatically.
- **Please don't reinstall or unlink your devices**; that only makes the catch-up slower.
- Downloads and the web dashboard are working normally.

Live status: https://status.example.com. We'll post updates in this thread. It's locked
so updates stay easy to find. Questions are welcome in a new thread.
""",
        "replies": [
            {
                "author": "sam_support",
                "after_hours": 1.0,
                "body": "**Update 10:45 UTC:** We've identified a failing storage node in one "
                "availability zone and are shifting traffic away from it. Error rates are "
                "already dropping.",
            },
            {
                "author": "sam_support",
                "after_hours": 3.5,
                "body": """\
**Resolved 13:10 UTC.** All uploads are back to normal and the backlog has cleared. If a
client still says "Waiting to sync…", choose **Pause** then **Resume** from the tray/menu bar
icon and it will pick up right away.
""",
            },
            {
                "author": "admin",
                "after_hours": 26.0,
                "body": """\
**Post-incident summary**

- **Impact:** 3 h 30 min of degraded uploads for roughly 18% of EU-West accounts. No data loss.
- **Cause:** a disk controller fault caused one storage node to accept connections but time out
  on writes, so our health check kept it in rotation.
- **What we're changing:**
  1. Health checks now perform a real write, not just a TCP check.
  2. Automatic failover when write latency exceeds 5 s for 60 s.
  3. Status page updates within 10 minutes of an alert.

Sorry for the disruption, and thanks for your patience.
""",
            },
        ],
    },
    {
        "category": "sync-backup",
        "author": "linh_nguyen",
        "title": 'macOS: backup skips ~/Library/Mail with "Operation not permitted"',
        "age_hours": 192,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
MacBook Air M2, macOS 14.4, Northwind client 4.2.1. My backup set includes my whole home
folder, but the activity panel says **1,283 files skipped** and the log is full of:

```
2024-03-18 08:12:44 WARN  scan: EPERM: operation not permitted,
  open '/Users/linh/Library/Mail/V10/MailData/Envelope Index'
```

Same for `~/Library/Messages`. Everything else backs up fine.
""",
        "replies": [
            {
                "author": "priya_staff",
                "after_hours": 1.2,
                "body": """\
Hi Linh! macOS protects those folders, so the client needs **Full Disk Access**:

1. Open **System Settings → Privacy & Security → Full Disk Access**.
2. Click **+**, and add **Northwind Cloud.app** from `/Applications`.
3. Make sure the toggle is **on**, then quit and reopen Northwind Cloud.
4. In the client, open the backup set and click **Rescan skipped files**.

If Northwind Cloud is already in the list but it still fails, remove it with **–** and add it
again. This happens sometimes after an update because macOS re-checks the app signature.

Docs: https://docs.example.com/desktop/macos/permissions
""",
            },
            {
                "author": "linh_nguyen",
                "after_hours": 2.0,
                "body": "Removing and re-adding it did the trick. 0 skipped files now. Thanks!",
            },
        ],
    },
    {
        "category": "sync-backup",
        "author": "tomasz_w",
        "title": "Linux client at 100% CPU after upgrading to 4.2.1",
        "age_hours": 216,
        "pinned": False,
        "locked": False,
        "accepted": 2,
        "body": """\
Since the upgrade from 4.1.3 to **4.2.1** (the `.deb` on Ubuntu 22.04), `nwcloud-agent` sits
at 100% of one core constantly, even when nothing is changing. Laptop fans are screaming.

```
$ nwcloud --version
nwcloud 4.2.1 (build 8812)
$ top -b -n1 | grep nwcloud
 4121 tomasz  20  0  1.1g  310m  S  99.7  2.0  41:09.12 nwcloud-agent
```

`nwcloud status` says "Up to date". Sync folder is ~40k files. Downgrading is my next step
but I'd rather not.
""",
        "replies": [
            {
                "author": "dave_builds",
                "after_hours": 0.5,
                "body": "Same here on Fedora 39, 4.2.1. Didn't happen on 4.1.x.",
            },
            {
                "author": "marco_r",
                "after_hours": 3.0,
                "body": """\
Workaround that helped me: switch the file watcher to polling in the config file and restart
the agent. CPU went down to ~2%.

```toml
# ~/.config/northwind/client.toml
[watcher]
mode = "poll"
interval_seconds = 30
```

```
systemctl --user restart nwcloud-agent
```

Changes take up to 30 s to be noticed, but that's fine for me.
""",
            },
            {
                "author": "sam_support",
                "after_hours": 20.0,
                "body": """\
Thanks all, and thanks Marco for the workaround. We reproduced this: 4.2.1 re-registers
inotify watches in a loop when a sync folder contains a symlink pointing outside of it.

**Fixed in 4.2.2**, which is rolling out now:

```
sudo apt update && sudo apt install nwcloud
# or on Fedora
sudo dnf upgrade nwcloud
```

After upgrading you can remove the `[watcher]` section again to get instant change detection.
Release notes: https://docs.example.com/releases/desktop-4.2.2
""",
            },
            {
                "author": "tomasz_w",
                "after_hours": 30.0,
                "body": "4.2.2 fixed it, idle CPU is back to ~0%. And yes, I have a symlink to "
                "a NAS share in there. Thanks!",
            },
        ],
    },
    {
        "category": "sync-backup",
        "author": "marco_r",
        "title": '"Conflicted copy" files everywhere, this is getting ridiculous',
        "age_hours": 96,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Sorry, I need to vent a little. We're a five-person architecture studio. Since last week our
shared `Projects` sync folder is full of files like:

```
Site plan v3 (conflicted copy from MARCO-PC 2024-03-21).dwg
Budget 2024 (conflicted copy from reception-mac 2024-03-21).xlsx
Budget 2024 (conflicted copy from reception-mac 2024-03-21) (1).xlsx
```

Nobody knows which one is the real file anymore. Yesterday one of my colleagues spent an hour
redoing changes that were sitting in a conflicted copy she didn't see.

What I know so far:

- All machines are on 4.2.x (two Windows 11, two macOS 14, one Windows 10).
- It mostly happens with Excel and AutoCAD files, rarely with PDFs.
- We did **not** have this problem with our previous setup (a file server in the office),
  but the whole point of moving to Northwind was to stop maintaining that box.
- Internet is fibre, 500/100, so I doubt it's slow uploads.

Is there a way to **lock** a file while someone has it open, like on a normal file server?
Or at least a way to merge or clean up the copies? I'm close to telling everyone to email
files to each other again, which would be a disaster.
""",
        "replies": [
            {
                "author": "jenna_k",
                "after_hours": 2.0,
                "body": "We had exactly this with Excel. What helped us was turning off "
                "AutoSave in Excel for files in the sync folder. AutoSave writes every few "
                "seconds and two people with the same file open guarantees a conflict.",
            },
            {
                "author": "priya_staff",
                "after_hours": 5.0,
                "body": """\
Hi Marco, I'm sorry this cost your team time. A conflicted copy is created when two devices
change the same file before either change has synced, so nothing is thrown away. Some things
that will help right now:

1. **Turn on file locking** for the team (Business plan feature, off by default):
   **Dashboard → Team settings → Sync → Lock files while open in Office and AutoCAD**.
   Others will see the file as read-only with a 🔒 and the name of who has it open.
2. **Find all conflicts in one place:** **Dashboard → Files → Filter → Conflicted copies**.
   You can compare versions and keep one with **Resolve**.
3. As Jenna said, **AutoSave** in Office makes conflicts much more likely without locking.

Locking needs every client on **4.2.0+**, so you're fine there. Guide:
https://docs.example.com/teams/file-locking

If you still see conflicts after enabling locking, send me the device names via a private
ticket and I'll look at the sync logs for that folder.
""",
            },
            {
                "author": "marco_r",
                "after_hours": 8.0,
                "body": "OK, I didn't know locking existed, it really should be on by default "
                "for teams. Enabled it, we'll see how the week goes.",
            },
        ],
    },
    {
        "category": "sync-backup",
        "author": "dave_builds",
        "title": "Restore of a 40 GB folder keeps failing at 97%",
        "age_hours": 2,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Trying to restore `~/Photos/2023` (about 40 GB) from a backup set to a new laptop, client
4.2.2 on macOS 14.4. Three attempts now and every time it gets to ~97% and then fails with:

```
Restore failed: RESTORE_E_CHUNK_MISMATCH (chunk 7f3a9c…e21, expected 4194304 bytes, got 0)
```

The files that did arrive open fine. Is one of my backed-up files corrupted? Can I restore
everything *except* the broken file, or at least find out which file it is?
""",
        "replies": [],
    },
    # ------------------------------------------------------------------ Billing & accounts
    {
        "category": "billing-accounts",
        "author": "ruth_accounting",
        "title": "Charged twice for March?",
        "age_hours": 360,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": "Our card statement shows two charges of $72.00 from Northwind Cloud on "
        "March 1st, but the dashboard only lists one invoice (`INV-2024-03-0417`). "
        "Can someone check?",
        "replies": [
            {
                "author": "sam_support",
                "after_hours": 0.8,
                "body": """\
Hi Ruth, sorry about that! I've found your account via your forum email. The second charge was
a payment retry that went through after the first one had already succeeded. A bug on our
side that affected a small number of accounts on March 1st.

- The duplicate charge has been **refunded** today.
- Depending on your bank it takes **3–5 business days** to show on your statement.
- You'll get a refund receipt by email as well.

I won't post more account details here, but reply if it hasn't arrived by next week.
""",
            },
            {
                "author": "ruth_accounting",
                "after_hours": 70.0,
                "body": "The refund is on our statement now. Thanks for the quick help.",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "jenna_k",
        "title": "How do I transfer ownership of our team account?",
        "age_hours": 600,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
I set up our team account when we started, but I'm moving to a different role and our office
manager should be the owner (billing emails, payment method, etc.). I can't find a
"transfer" option anywhere in **Team settings**. Do I have to contact support?
""",
        "replies": [
            {
                "author": "priya_staff",
                "after_hours": 1.5,
                "body": """\
No need to contact support, you can do it yourself, but the new owner has to be a
**team member with the Admin role** first:

1. **Dashboard → Team → Members**, find your office manager and set their role to **Admin**.
2. Go to **Team settings → Ownership** (only visible to the current owner).
3. Click **Transfer ownership**, pick the new owner and confirm with your password.
4. They get an email and must **accept** within 7 days.

After the transfer you stay on the team as an Admin, and they can downgrade or remove you
later if needed. The payment method stays the same until the new owner changes it.

Docs: https://docs.example.com/teams/transfer-ownership
""",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "tomasz_w",
        "title": "Switching from monthly to annual mid-cycle: is it prorated?",
        "age_hours": 1080,
        "pinned": False,
        "locked": False,
        "accepted": 1,
        "body": "We're on the monthly Business plan (8 seats), renewed on the 3rd. If I switch "
        "to annual now, on the 19th, do I lose the rest of the month I already paid for?",
        "replies": [
            {
                "author": "ruth_accounting",
                "after_hours": 3.0,
                "body": "I did this last year and the unused part of the month was credited "
                "on the first annual invoice. It showed up as a separate negative line.",
            },
            {
                "author": "sam_support",
                "after_hours": 6.0,
                "body": """\
Ruth is right. When you switch in **Billing → Plan → Change to annual**:

- The annual period starts **today**, not on your old renewal date.
- Unused days of the current month are credited as a negative line item on the annual invoice.
- Seats carry over (8 seats at the annual per-seat price).

So for you: roughly 14 of 30 days are credited. The preview screen shows the exact amount
before you confirm. See https://docs.example.com/billing/proration
""",
            },
        ],
    },
    {
        "category": "billing-accounts",
        "author": "marco_r",
        "title": "Can I add our VAT number to invoices (and re-issue old ones)?",
        "age_hours": 5,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Our accountant needs the company VAT ID printed on every invoice. I found the **Billing
address** form but there's no VAT field. Is there a place for it? And can the invoices from
January and February be re-issued with it, or is it too late for those?
""",
        "replies": [],
    },
    # ------------------------------------------------------------------ Mobile apps
    {
        "category": "mobile-apps",
        "author": "jenna_k",
        "title": "Android app only uploads photos when I open it",
        "age_hours": 720,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
Camera upload is on, but photos only get uploaded when I actually open the Northwind app.
If I don't open it for a few days nothing is backed up. Phone is a Pixel 7, Android 14, app
version 3.7.2. **Upload on mobile data** is enabled, and I'm on Wi-Fi at home anyway.
""",
        "replies": [
            {
                "author": "linh_nguyen",
                "after_hours": 1.0,
                "body": """\
Android battery optimisation is probably killing the background job. This fixed it for me:

1. **Settings → Apps → Northwind Cloud → App battery usage**
2. Change it from *Optimised* to **Unrestricted**

On Samsung phones there's also a "Sleeping apps" list you need to remove it from.
""",
            },
            {
                "author": "priya_staff",
                "after_hours": 4.0,
                "body": "Linh's answer is spot on. The app also shows a warning banner in "
                "**Settings → Camera upload** when it detects battery restrictions (from 3.8.0 "
                "onwards). More tips: https://docs.example.com/mobile/android/background-upload",
            },
            {
                "author": "jenna_k",
                "after_hours": 7.0,
                "body": "Set it to Unrestricted and this morning's photos were already there. "
                "Thanks Linh!",
            },
        ],
    },
    {
        "category": "mobile-apps",
        "author": "ruth_accounting",
        "title": "iOS app crashes on launch after updating to 3.8.0",
        "age_hours": 50,
        "pinned": False,
        "locked": False,
        "accepted": 3,
        "body": """\
Updated the iPhone app this morning to **3.8.0** and now it crashes immediately: the splash
screen shows for a second and then I'm back on the home screen. iPhone 13, iOS 17.3.1.
Restarted the phone, same thing. I need the app to scan receipts for our bookkeeping. 😕
""",
        "replies": [
            {
                "author": "marco_r",
                "after_hours": 0.3,
                "body": "Same here, iPhone 12.",
            },
            {
                "author": "linh_nguyen",
                "after_hours": 0.9,
                "body": "Same, but only on my work phone which has **Face ID lock** turned on in "
                "the app. My personal phone without the lock works fine.",
            },
            {
                "author": "sam_support",
                "after_hours": 2.0,
                "body": """\
Thanks for the reports, and Linh, that was the missing clue. 3.8.0 crashes at launch when
**App lock** is enabled and the phone has no passcode fallback configured the way the app
expects.

We've submitted **3.8.1** to the App Store. Until it's approved, you can:

- Use the **web dashboard** in Safari (https://app.example.com). Receipt upload works there.
- Or delete and reinstall the app. Your files are in the cloud, so nothing is lost, but you'll
  need to sign in again and the app will start **without** App lock until you re-enable it.
""",
            },
            {
                "author": "sam_support",
                "after_hours": 28.0,
                "body": "**3.8.1 is now live in the App Store** and fixes the crash. Please "
                "update from the App Store page if it hasn't updated automatically.",
            },
            {
                "author": "ruth_accounting",
                "after_hours": 30.0,
                "body": "Updated to 3.8.1, works again. Thank you!",
            },
        ],
    },
    {
        "category": "mobile-apps",
        "author": "linh_nguyen",
        "title": "Feature request: only upload when the phone is charging",
        "age_hours": 432,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": "Would love an option to run camera upload only while charging, like some "
        "other backup apps do. My first sync of 12,000 photos drained the battery in an afternoon.",
        "replies": [
            {
                "author": "dave_builds",
                "after_hours": 10.0,
                "body": '+1, and ideally "only on Wi-Fi **and** charging" as a combined option.',
            },
            {
                "author": "priya_staff",
                "after_hours": 26.0,
                "body": "Thanks both! I've added this to our feature request tracker and linked "
                "this thread. No date yet, but the mobile team is reviewing upload settings "
                "for the next quarter.",
            },
        ],
    },
    # ------------------------------------------------------------------ API & integrations
    {
        "category": "api-integrations",
        "author": "dave_builds",
        "title": "401 invalid_grant when refreshing an OAuth token",
        "age_hours": 144,
        "pinned": False,
        "locked": False,
        "accepted": 0,
        "body": """\
I'm building an internal tool that uploads build artifacts via the API. The first refresh
works, but the next time the job runs (about an hour later) it fails:

```
$ curl -s -X POST https://api.example.com/oauth/token \\
    -d grant_type=refresh_token \\
    -d refresh_token="$NW_REFRESH_TOKEN" \\
    -d client_id="$NW_CLIENT_ID" \\
    -d client_secret="$NW_CLIENT_SECRET"
{"error":"invalid_grant","error_description":"refresh token is invalid or was already used"}
```

The refresh token is stored in our CI secrets and hasn't changed. What am I doing wrong?
""",
        "replies": [
            {
                "author": "sam_support",
                "after_hours": 2.0,
                "body": """\
Hi Dave, that's expected behaviour: we use **refresh token rotation**. Every successful
refresh response contains a **new** `refresh_token`, and the old one becomes invalid. Because
your CI secret never changes, the second run reuses a token that was already spent.

Options:

1. **Store the new refresh token** after each refresh (e.g. in a secrets manager your job can
   write to).
2. Better for CI: use a **service account key** instead of OAuth user tokens. Create one
   under **Dashboard → Developer → Service accounts** and use the client credentials grant:

```python
import requests

resp = requests.post(
    "https://api.example.com/oauth/token",
    data={"grant_type": "client_credentials", "scope": "files.write"},
    auth=(client_id, client_secret),
    timeout=10,
)
resp.raise_for_status()
token = resp.json()["access_token"]  # valid for 1 hour, no refresh token needed
```

Docs: https://docs.example.com/api/authentication#service-accounts
""",
            },
            {
                "author": "dave_builds",
                "after_hours": 3.0,
                "body": "Didn't know about rotation. Switched to a service account, much "
                "simpler. Thanks!",
            },
        ],
    },
    {
        "category": "api-integrations",
        "author": "tomasz_w",
        "title": "What are the rate limits for GET /v2/files?",
        "age_hours": 528,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
I'm syncing our file index into an internal search tool and I'm getting `429 Too Many
Requests` after a few hundred calls to `GET /v2/files?folder_id=…`. The API docs mention rate
limits but don't give numbers. What's the limit, and is there a better way to list
everything than walking folders one by one?
""",
        "replies": [
            {
                "author": "dave_builds",
                "after_hours": 1.0,
                "body": """\
Not staff, but from what I've seen the limit is per token and the response headers tell you
everything:

```
X-RateLimit-Limit: 600
X-RateLimit-Remaining: 0
Retry-After: 37
```

Respect `Retry-After` and you'll be fine. For a full index, use `GET /v2/changes` with a
cursor instead of walking folders: one call returns up to 1,000 entries across all folders.
""",
            },
        ],
    },
    {
        "category": "api-integrations",
        "author": "jenna_k",
        "title": "Webhook signature never matches (Python)",
        "age_hours": 30,
        "pinned": False,
        "locked": False,
        "accepted": None,
        "body": """\
Trying to verify the `X-Northwind-Signature` header on `file.created` webhooks in a small
Flask app, but my computed HMAC never matches the header:

```python
secret = os.environ["NW_WEBHOOK_SECRET"].encode()
body = json.dumps(request.get_json()).encode()
expected = hmac.new(secret, body, hashlib.sha256).hexdigest()
if not hmac.compare_digest(expected, request.headers["X-Northwind-Signature"]):
    abort(401)
```

The secret is copied straight from the dashboard. Am I hashing the wrong thing?
""",
        "replies": [],
    },
]

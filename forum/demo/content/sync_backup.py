"""Demo threads in the "Sync & backup" category (see forum/demo/content/__init__.py)."""

THREADS = [
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
]

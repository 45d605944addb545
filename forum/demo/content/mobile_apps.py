"""Demo threads in the "Mobile apps" category (see forum/demo/content/__init__.py)."""

THREADS = [
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
]

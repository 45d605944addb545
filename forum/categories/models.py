from flask import url_for

from forum.extensions import db


class Category(db.Model):
    __tablename__ = "categories"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(60), nullable=False)
    slug = db.Column(db.String(60), nullable=False, unique=True)
    description = db.Column(db.String(300), nullable=False, default="")
    position = db.Column(db.Integer, nullable=False, default=0)
    # Kept by triggers on threads (forum/categories/counts.py); read, never written, by the app.
    visible_threads = db.Column(db.Integer, nullable=False, default=0, server_default="0")

    @property
    def url(self):
        return url_for("categories.detail", slug=self.slug)

    def __repr__(self):
        return f"<Category {self.slug}>"

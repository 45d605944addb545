"""Password storage: scrypt in production, legacy hashes upgraded at the next sign-in, and
the same hashing work whether or not the account exists."""

from config import Config, TestingConfig
from forum import create_app
from forum.extensions import db
from forum.users import services
from tests import factories


def test_production_hashes_passwords_with_scrypt(tmp_path):
    class Production(Config):
        SECRET_KEY = "x"
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'prod.db'}"

    assert Config.PASSWORD_HASH_METHOD == "scrypt"
    app = create_app(Production)
    with app.app_context():
        db.create_all()
        user = factories.make_user()
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password(factories.PASSWORD)
        db.session.remove()
        db.engine.dispose()


def sign_in(client, password=factories.PASSWORD):
    return client.post("/auth/login", data={"username": "carol", "password": password})


def test_a_hash_made_with_another_method_is_replaced_at_sign_in(app, client, customer):
    assert customer.password_hash.startswith(TestingConfig.PASSWORD_HASH_METHOD + "$")
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:2000"  # a new method or a higher cost
    assert sign_in(client).status_code == 302
    db.session.refresh(customer)
    assert customer.password_hash.startswith("pbkdf2:sha256:2000$")
    client.post("/auth/logout")
    assert sign_in(client).status_code == 302


def test_a_wrong_password_never_rehashes(app, client, customer):
    before = customer.password_hash
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:2000"
    assert sign_in(client, "a wrong password").status_code == 400
    db.session.refresh(customer)
    assert customer.password_hash == before


def test_a_current_hash_is_left_alone(client, customer):
    before = customer.password_hash
    assert sign_in(client).status_code == 302
    db.session.refresh(customer)
    assert customer.password_hash == before


def test_an_unknown_name_costs_a_hash_check_too(client, customer, monkeypatch):
    checked = []
    real = services.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", spy)
    response = client.post("/auth/login", data={"username": "nobody", "password": "guess guess"})
    assert response.status_code == 400
    assert checked == [TestingConfig.PASSWORD_HASH_METHOD]

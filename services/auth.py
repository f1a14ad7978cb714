"""Log-in: password hashing and policy, lock-out and throttling, server-side sessions.

The rules (issue 5), every number from :class:`config.settings.Settings`:

- Passwords are hashed with Argon2id (argon2-cffi's ``PasswordHasher``) and
  rehashed on the next successful log-in when the parameters change.
- A password has at least 12 characters and at least three of: lower-case,
  upper-case, digit, symbol; and it must not be easy to guess: zxcvbn (its
  lists of common passwords, words, names, keyboard runs and dates, plus a
  few Chinese favourites) must score it 3 or more, and one word with digits
  or symbols around it (``Password1234``) is refused whatever the score.
- ``lockout_attempts`` failures on an account within ``lockout_window_minutes``
  lock it for ``lockout_minutes``. The lock is checked *before* the password
  (a correct password during a lock is refused) and lives in the database
  (``users.locked_until`` and ``login_attempts``), so a reload, a new browser
  session or a restart does not reset it.
- An unknown user name gets exactly the answers a real one gets (issue 15):
  the same messages, locked on the same failure for the same time, and the
  same work (one Argon2 verification per attempt, against a dummy hash), so
  neither the answer nor its timing tells which names exist. Its lock is
  worked out from its recorded attempts, as the real account's would be.
- More than :data:`ADDRESS_FAILURE_LIMIT` failures from one client address
  within the same window throttle that address until the window has passed.
- Sessions live on the server (``auth_sessions``); the browser holds a random
  token whose SHA-256 alone is stored. A session ends after
  ``session_idle_minutes`` without activity, after ``session_max_hours`` in
  all, or at log-out.
- Every attempt is recorded in ``login_attempts`` and in the audit log.

All times are naive UTC; ``now`` is passed in so that tests can move the clock.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, func, select, update

from config.settings import Settings, load_settings
from data import audit
from data.models import ROLE_VALUES, AuthSession, LoginAttempt, Township, User

# Failures from one address (any account names) before the address is throttled.
# Well above one person's mistakes, well below a guessing script. Behind a
# reverse proxy that hides client addresses every visitor shares one address:
# see README, "Single sign-on behind a reverse proxy".
ADDRESS_FAILURE_LIMIT = 20

PASSWORD_MIN_LENGTH = 12
PASSWORD_MIN_CLASSES = 3

# Secrets that must never be used in production (README, "Accounts and roles").
DEFAULT_SECRETS = frozenset(
    {"", "secret", "changeme", "change-me", "change_me", "default", "dev", "development", "password", "demo"}
)
SECRET_MIN_LENGTH = 32

# Attempts older than this are of no use to any rule and are deleted as we go.
ATTEMPT_RETENTION = timedelta(days=1)

_hasher = PasswordHasher()  # Argon2id with argon2-cffi's current recommended parameters
# Verified against when the user name is unknown, so that the answer takes as
# long as for a real account and does not tell which names exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


# --- passwords ------------------------------------------------------------

_POLICY_MESSAGES = {
    "too_short": {
        "zh": f"密码至少需要 {PASSWORD_MIN_LENGTH} 个字符",
        "en": f"the password needs at least {PASSWORD_MIN_LENGTH} characters",
    },
    "too_common": {
        "zh": "密码太常见或容易猜到（常用密码、单词、姓名、键盘顺序、日期等），请换一个更长、更随意的密码",
        "en": "the password is too common or easy to guess (common passwords, words, names, keyboard runs, dates): "
              "choose a longer, more random one",
    },
    "word_plus_digits": {
        "zh": "密码不能是一个单词加数字或符号（例如 Password1234）",
        "en": "the password must not be one word with digits or symbols around it (like Password1234)",
    },
    "too_few_classes": {
        "zh": f"密码需包含小写字母、大写字母、数字、符号中的至少 {PASSWORD_MIN_CLASSES} 类",
        "en": (
            f"the password needs at least {PASSWORD_MIN_CLASSES} of: lower-case letters, "
            "upper-case letters, digits, symbols"
        ),
    },
}


class PasswordPolicyError(ValueError):
    """The password breaks the policy; ``problems`` lists the rule codes broken."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(self.message("zh") + " / " + self.message("en"))

    def message(self, lang: str) -> str:
        sep = "；" if lang == "zh" else "; "
        return sep.join(_POLICY_MESSAGES[p][lang] for p in self.problems)


# Guessable here but missing from zxcvbn's English lists: pinyin favourites and this app's own words.
LOCAL_WEAK_WORDS = (
    "woaini", "aini", "wohenni", "5201314", "1314520", "caonima", "zhongguo", "beijing", "xinfang",
    "xinfangban", "lianxiban", "dashboard", "zhengfu", "qwertyuiop", "asdfghjkl", "1qaz2wsx",
)
# zxcvbn's scale: 3 is "safely unguessable: moderate protection from offline slow-hash attacks".
PASSWORD_MIN_SCORE = 3


def _is_word_plus_digits(password: str) -> bool:
    """One dictionary word (or name) with only digits and symbols before or after it: Password1234, 2024Admin!."""
    from zxcvbn.matching import RANKED_DICTIONARIES

    match = re.fullmatch(r"[\W\d_]*([^\W\d_]+)[\W\d_]*", password)
    if match is None:
        return False
    word = match.group(1).lower()
    # zxcvbn keeps the last call's user_inputs as a ranked dictionary of its own: skip it, or the
    # answer would depend on whose password was checked before.
    return word in LOCAL_WEAK_WORDS or any(
        word in ranked for name, ranked in RANKED_DICTIONARIES.items() if name != "user_inputs"
    )


def password_problems(password: str, user_inputs: tuple[str, ...] = ()) -> list[str]:
    """The policy rules ``password`` breaks (empty when it is acceptable).

    The guessability rules are checked only once length and character classes
    pass, so that a short password is told the simplest thing first.
    ``user_inputs`` (the user name, say) count as guessable words too.
    """
    problems = []
    if len(password) < PASSWORD_MIN_LENGTH:
        problems.append("too_short")
    classes = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),  # symbols, spaces included
        )
    )
    if classes < PASSWORD_MIN_CLASSES:
        problems.append("too_few_classes")
    if problems:
        return problems
    if _is_word_plus_digits(password):
        return ["word_plus_digits"]
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with length; 12–100 characters is what a person types.
    if zxcvbn(password[:100], user_inputs=[*LOCAL_WEAK_WORDS, *user_inputs])["score"] < PASSWORD_MIN_SCORE:
        problems.append("too_common")
    return problems


def check_password_policy(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Raise :class:`PasswordPolicyError` (in zh and en) if ``password`` breaks the policy."""
    problems = password_problems(password, user_inputs)
    if problems:
        raise PasswordPolicyError(problems)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> tuple[bool, str | None]:
    """(matches, new hash if the stored one should be upgraded)."""
    try:
        _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False, None
    if _hasher.check_needs_rehash(password_hash):
        return True, _hasher.hash(password)
    return True, None


# --- users ----------------------------------------------------------------


@dataclass(frozen=True)
class UserInfo:
    """What the app needs to know about a signed-in user (no hash, nothing secret)."""

    id: int
    username: str
    role: str
    township_id: int | None
    disabled: bool = False


def _user_info(row) -> UserInfo:
    return UserInfo(
        id=row.id, username=row.username, role=row.role, township_id=row.township_id, disabled=bool(row.disabled)
    )


def get_user(conn_or_engine: Connection | Engine, username: str) -> UserInfo | None:
    statement = select(User).where(User.username == username)
    if isinstance(conn_or_engine, Engine):
        with conn_or_engine.connect() as conn:
            row = conn.execute(statement).first()
    else:
        row = conn_or_engine.execute(statement).first()
    return _user_info(row) if row else None


class UserAdminError(ValueError):
    """A user-administration request that cannot be done (one clear line)."""


def create_user(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    township_id: int | None = None,
    *,
    actor: str | None = None,
    client_addr: str | None = None,
    now: datetime | None = None,
) -> UserInfo:
    """Add an account (the password must pass the policy); audited as user_admin."""
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    username = (username or "").strip()
    if not username or len(username) > 64 or any(c.isspace() for c in username):
        raise UserAdminError("a user name has 1 to 64 characters and no spaces")
    if role not in ROLE_VALUES:
        raise UserAdminError(f"unknown role {role!r}: one of {', '.join(ROLE_VALUES)}")
    if role == "township" and township_id is None:
        raise UserAdminError("role township needs a township")
    if role != "township" and township_id is not None:
        raise UserAdminError("only role township has a township")
    check_password_policy(password, (username,))
    with engine.begin() as conn:
        if conn.execute(select(User.id).where(User.username == username)).first() is not None:
            raise UserAdminError(f"user {username!r} exists already")
        user_id = conn.execute(
            User.__table__.insert().values(
                username=username, password_hash=hash_password(password), role=role,
                township_id=township_id, disabled=False, created_at=now,
            )
        ).inserted_primary_key[0]
        detail = f"add {username} role={role}" + (f" township_id={township_id}" if township_id else "")
        audit.record(conn, username=actor, action="user_admin", object=detail, client_addr=client_addr, at=now)
    return UserInfo(id=user_id, username=username, role=role, township_id=township_id)


def _existing_user(conn: Connection, username: str):
    row = conn.execute(select(User).where(User.username == username).with_for_update()).first()
    if row is None:
        raise UserAdminError(f"no user {username!r}")
    return row


@contextmanager
def _account_change(
    engine: Engine, username: str, detail: str, actor: str | None, client_addr: str | None, now: datetime | None
) -> Iterator[tuple[Connection, object]]:
    """One transaction that changes an existing account and audits it as user_admin ``detail``."""
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    with engine.begin() as conn:
        row = _existing_user(conn, username)
        yield conn, row
        audit.record(conn, username=actor, action="user_admin", object=detail, client_addr=client_addr, at=now)


def set_disabled(
    engine: Engine,
    username: str,
    disabled: bool = True,
    *,
    actor: str | None = None,
    client_addr: str | None = None,
    now: datetime | None = None,
) -> None:
    """Disable (or re-enable) an account; disabling ends its sessions at once."""
    verb = "disable" if disabled else "enable"
    with _account_change(engine, username, f"{verb} {username}", actor, client_addr, now) as (conn, row):
        conn.execute(update(User).where(User.id == row.id).values(disabled=disabled))
        if disabled:
            end_user_sessions(conn, row.id)


def reset_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    actor: str | None = None,
    client_addr: str | None = None,
    now: datetime | None = None,
) -> None:
    """Set a new password, lift any lock and end the account's sessions."""
    check_password_policy(password, (username,))
    with _account_change(engine, username, f"reset-password {username}", actor, client_addr, now) as (conn, row):
        conn.execute(
            update(User).where(User.id == row.id).values(password_hash=hash_password(password), locked_until=None)
        )
        end_user_sessions(conn, row.id)


def unlock_user(
    engine: Engine,
    username: str,
    *,
    actor: str | None = None,
    client_addr: str | None = None,
    now: datetime | None = None,
) -> None:
    """Lift a lock-out before it ends by itself."""
    with _account_change(engine, username, f"unlock {username}", actor, client_addr, now) as (conn, row):
        conn.execute(update(User).where(User.id == row.id).values(locked_until=None))
        # Forget the failures too, or the next mistake would lock it again.
        conn.execute(
            delete(LoginAttempt).where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(False))
        )


def list_users(engine: Engine) -> list[dict]:
    """Every account with its role, township name, state and lock (no hashes)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                User.username, User.role, Township.name.label("township"), User.disabled,
                User.locked_until, User.created_at,
            )
            .outerjoin(Township, Township.id == User.township_id)
            .order_by(User.username)
        ).all()
    return [dict(row._mapping) for row in rows]


# --- log-in ---------------------------------------------------------------


@dataclass(frozen=True)
class AuthResult:
    """The answer to a log-in attempt.

    ``reason`` is one of: ``ok``, ``bad_credentials`` (unknown name or wrong
    password: the screen must not tell which), ``locked``, ``throttled``,
    ``disabled``. ``retry_after`` is when a lock or throttle ends.
    """

    ok: bool
    reason: str
    user: UserInfo | None = None
    retry_after: datetime | None = None


def _failures_since(conn: Connection, since: datetime, *, username: str | None = None, client_addr=None) -> int:
    statement = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since
    )
    if username is not None:
        statement = statement.where(LoginAttempt.username == username)
    if client_addr is not None:
        statement = statement.where(LoginAttempt.client_addr == client_addr)
    return conn.execute(statement).scalar_one()


def _last_success(conn: Connection, username: str) -> datetime | None:
    return conn.execute(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    ).scalar_one()


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    client_addr: str | None,
    now: datetime | None = None,
    settings: Settings | None = None,
) -> AuthResult:
    """Check a log-in attempt, record it, and lock the account when the rule says so."""
    settings = settings or load_settings()
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    username = (username or "").strip()[:64]
    window = timedelta(minutes=settings.lockout_window_minutes)

    with engine.begin() as conn:
        retention = max(ATTEMPT_RETENTION, 2 * window)
        conn.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < now - retention))

        def finish(result: AuthResult, *, audit_outcome: str) -> AuthResult:
            conn.execute(
                LoginAttempt.__table__.insert().values(
                    username=username, client_addr=(client_addr or None), attempted_at=now, succeeded=result.ok
                )
            )
            audit.record(
                conn, username=username, action="login", object=username, outcome=audit_outcome,
                client_addr=client_addr, at=now,
            )
            return result

        # 1. The client address, before anything about the account is looked at.
        if client_addr and _failures_since(conn, now - window, client_addr=client_addr) >= ADDRESS_FAILURE_LIMIT:
            return finish(AuthResult(False, "throttled", retry_after=now + window), audit_outcome="throttled")

        # Lock the row so that two simultaneous attempts count each other (PostgreSQL).
        row = conn.execute(select(User).where(User.username == username).with_for_update()).first()

        # Exactly one Argon2 verification on every path from here on, real name or not,
        # locked or not, so that the time taken tells nothing (issue 15).
        if row is None:
            _hasher_verify_dummy(password)
            matches, new_hash = False, None
            locked_until = _unknown_name_lock(conn, username, now, settings)
        else:
            matches, new_hash = verify_password(row.password_hash, password)
            locked_until = row.locked_until

        # 2. The lock-out, before the password.
        if locked_until is not None and locked_until > now:
            return finish(AuthResult(False, "locked", retry_after=locked_until), audit_outcome="locked")

        # 3. The password.
        if matches and row.disabled:
            return finish(AuthResult(False, "disabled"), audit_outcome="disabled")
        if matches:
            values: dict = {"locked_until": None}
            if new_hash:
                values["password_hash"] = new_hash
            conn.execute(update(User).where(User.id == row.id).values(**values))
            return finish(AuthResult(True, "ok", user=_user_info(row)), audit_outcome="success")

        result = finish(AuthResult(False, "bad_credentials"), audit_outcome="failure")
        # Failures count from the window's start, but not from before the last
        # success or the end of the last lock (attempts refused during a lock
        # must not lock the account again the moment it opens).
        last_success = _last_success(conn, username) if row is not None else None
        since = max(d for d in (now - window, last_success, locked_until) if d is not None)
        if _failures_since(conn, since, username=username) >= settings.lockout_attempts:
            locked_until = now + timedelta(minutes=settings.lockout_minutes)
            if row is not None:
                conn.execute(update(User).where(User.id == row.id).values(locked_until=locked_until))
            audit.record(
                conn, username=username, action="lockout", object=username, outcome="locked",
                client_addr=client_addr, at=now,
            )
            return AuthResult(False, "locked", retry_after=locked_until)
        return result


def _unknown_name_lock(conn: Connection, username: str, now: datetime, settings: Settings) -> datetime | None:
    """The lock an account of this name would carry now, replayed from its recorded failures.

    The same rule as :func:`authenticate` applies to a real account (a lock on the
    ``lockout_attempts``-th failure within the window, failures before the end of
    a lock not counted), so an unknown name is locked on the same attempt, for
    the same time. Unknown names have no row to keep ``locked_until`` in, and
    a table of them would be a list of every name ever tried: replaying the
    attempts kept for :data:`ATTEMPT_RETENTION` needs neither.
    """
    window = timedelta(minutes=settings.lockout_window_minutes)
    lock = timedelta(minutes=settings.lockout_minutes)
    times = conn.execute(
        select(LoginAttempt.attempted_at)
        .where(LoginAttempt.username == username, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at <= now)
        .order_by(LoginAttempt.attempted_at, LoginAttempt.id)
    ).scalars().all()
    locked_until: datetime | None = None
    counted: deque[datetime] = deque()
    for at in times:
        if locked_until is not None and at < locked_until:
            continue  # refused by the lock: recorded, never counted
        counted.append(at)
        since = max(at - window, locked_until) if locked_until is not None else at - window
        while counted and counted[0] <= since:
            counted.popleft()
        if len(counted) >= settings.lockout_attempts:
            locked_until = at + lock
            counted.clear()
    return locked_until


def _hasher_verify_dummy(password: str) -> None:
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        pass


# --- sessions -------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(engine: Engine, user: UserInfo, now: datetime | None = None) -> str:
    """Open a server-side session; returns the token the browser session keeps."""
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            AuthSession.__table__.insert().values(
                token_hash=_token_hash(token), user_id=user.id, created_at=now, last_seen_at=now
            )
        )
    return token


@dataclass(frozen=True)
class SessionCheck:
    """``user`` when the session is alive; otherwise ``reason``: missing, idle, expired, disabled."""

    user: UserInfo | None
    reason: str


def check_session(
    engine: Engine,
    token: str | None,
    now: datetime | None = None,
    settings: Settings | None = None,
    client_addr: str | None = None,
) -> SessionCheck:
    """Look the session up, end it if it has expired, else mark it seen now."""
    if not token:
        return SessionCheck(None, "missing")
    settings = settings or load_settings()
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    digest = _token_hash(token)
    with engine.begin() as conn:
        row = conn.execute(
            select(
                User.id, User.username, User.role, User.township_id, User.disabled,
                AuthSession.created_at, AuthSession.last_seen_at,
            )
            .join(User, User.id == AuthSession.user_id)
            .where(AuthSession.token_hash == digest)
        ).first()
        if row is None:
            return SessionCheck(None, "missing")
        user_row = row
        reason = None
        if row.disabled:
            reason = "disabled"
        elif now - row.created_at >= timedelta(hours=settings.session_max_hours):
            reason = "expired"
        elif now - row.last_seen_at >= timedelta(minutes=settings.session_idle_minutes):
            reason = "idle"
        if reason is not None:
            conn.execute(delete(AuthSession).where(AuthSession.token_hash == digest))
            audit.record(
                conn, username=user_row.username, action="session_expired", object=reason, outcome="expired",
                client_addr=client_addr, at=now,
            )
            return SessionCheck(None, reason)
        conn.execute(update(AuthSession).where(AuthSession.token_hash == digest).values(last_seen_at=now))
        return SessionCheck(_user_info(user_row), "ok")


def resume_session(
    engine: Engine,
    token: str | None,
    now: datetime | None = None,
    settings: Settings | None = None,
    client_addr: str | None = None,
) -> UserInfo | None:
    """The signed-in user for ``token``, or None when there is no live session."""
    return check_session(engine, token, now, settings, client_addr).user


def end_session(
    engine: Engine, token: str | None, now: datetime | None = None, client_addr: str | None = None
) -> bool:
    """Log out: delete the session on the server. Returns whether there was one."""
    if not token:
        return False
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    digest = _token_hash(token)
    with engine.begin() as conn:
        username = conn.execute(
            select(User.username).join(AuthSession, AuthSession.user_id == User.id).where(
                AuthSession.token_hash == digest
            )
        ).scalar_one_or_none()
        if username is None:
            return False
        conn.execute(delete(AuthSession).where(AuthSession.token_hash == digest))
        audit.record(conn, username=username, action="logout", object=username, client_addr=client_addr, at=now)
    return True


def end_user_sessions(conn: Connection, user_id: int) -> int:
    """End every session of one user (on disable or password reset)."""
    return conn.execute(delete(AuthSession).where(AuthSession.user_id == user_id)).rowcount or 0


def purge_expired_sessions(engine: Engine, now: datetime | None = None, settings: Settings | None = None) -> int:
    """Delete sessions past either limit (they would be refused anyway)."""
    settings = settings or load_settings()
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            delete(AuthSession).where(
                (AuthSession.created_at <= now - timedelta(hours=settings.session_max_hours))
                | (AuthSession.last_seen_at <= now - timedelta(minutes=settings.session_idle_minutes))
            )
        )
    return result.rowcount or 0


# --- deployment checks ----------------------------------------------------


class InsecureConfiguration(RuntimeError):
    """The settings are unsafe for production; the app refuses to start."""


def require_production_secret(settings: Settings | None = None) -> None:
    """In production, refuse a missing, default or short secret (``DASHBOARD_SECRET``)."""
    settings = settings or load_settings()
    if not settings.production:
        return
    secret = (settings.secret or "").strip()
    if secret.lower() in DEFAULT_SECRETS:
        raise InsecureConfiguration(
            "production is on but DASHBOARD_SECRET is missing or a default value: "
            "set it to a random string of at least 32 characters (python -c 'import secrets; "
            "print(secrets.token_urlsafe(48))')"
        )
    if len(secret) < SECRET_MIN_LENGTH:
        raise InsecureConfiguration(
            f"production is on but DASHBOARD_SECRET has {len(secret)} characters: "
            f"use a random string of at least {SECRET_MIN_LENGTH}"
        )


# --- single sign-on behind a trusted reverse proxy ------------------------


def user_from_trusted_header(
    engine: Engine,
    header_value: str | None,
    settings: Settings | None = None,
    client_addr: str | None = None,
    now: datetime | None = None,
) -> UserInfo | None:
    """The enabled user a trusted proxy's header names, or None.

    Off unless ``settings.trusted_user_header`` is set. The header is trusted
    blindly, so it is only safe when the proxy removes it from every client
    request and nobody can reach the app except through the proxy (README,
    "Single sign-on behind a reverse proxy"). Only existing, enabled accounts
    are accepted: the proxy says who, the database says what they may see.
    """
    settings = settings or load_settings()
    if not settings.trusted_user_header:
        return None
    username = (header_value or "").strip()
    if not username:
        return None
    now = audit.as_naive_utc(now) if now is not None else audit.utcnow()
    with engine.begin() as conn:
        row = conn.execute(select(User).where(User.username == username[:64])).first()
        ok = row is not None and not row.disabled
        audit.record(
            conn, username=username, action="login", object=f"sso:{settings.trusted_user_header}",
            outcome="success" if ok else ("disabled" if row is not None else "failure"),
            client_addr=client_addr, at=now,
        )
    return _user_info(row) if ok else None

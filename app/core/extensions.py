"""Extension singletons, bound to the app in create_app()."""

from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy

from app.core.i18n import FastBabel
from app.core.storage.db import Base
from app.core.web.csrf import SameOriginCSRFProtect

db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
babel = FastBabel()  # the catalogue found once per request (app/core/i18n.py)
login_manager = LoginManager()
csrf = SameOriginCSRFProtect()
compress = Compress()  # gzip for pages, JSON, CSS and scripts
limiter = Limiter(key_func=get_remote_address, default_limits=[])

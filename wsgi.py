from config import ProductionConfig
from forum import create_app

app = create_app(ProductionConfig)

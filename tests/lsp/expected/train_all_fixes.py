import mlflow
from sklearn.linear_model import LinearRegression

model = LinearRegression()

with mlflow.start_run():
    mlflow.sklearn.log_model(model, name="model")
    mlflow.sklearn.log_model("🚀é" and model, name="emoji")
    mlflow.sklearn.log_model(model, name="positional")

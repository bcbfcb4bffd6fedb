"""Version a prompt template in the prompt registry, promote it with an alias and render it.

MLflow 2 idioms used here: the prompt functions at the top of ``mlflow``
(``mlflow.register_prompt`` / ``load_prompt`` / ``set_prompt_alias``, moved to ``mlflow.genai``
in 3.1), ``register_prompt(version_metadata=...)`` and the two-argument
``mlflow.delete_prompt(name, version)``.
"""

import mlflow
from mlflow import load_prompt

NAME = "support-answer"

first = mlflow.register_prompt(
    name=NAME,
    template="Answer the question: {{question}}",
    commit_message="first draft",
    version_metadata={"author": "kim"},
)
second = mlflow.register_prompt(
    name=NAME,
    template="You are a support agent. Answer briefly: {{question}}",
    commit_message="shorter answers",
    version_metadata={"author": "lee"},
)
assert (int(first.version), int(second.version)) == (1, 2)

mlflow.set_prompt_alias(NAME, alias="production", version=2)
production = load_prompt(f"prompts:/{NAME}@production")
assert int(production.version) == 2
rendered = production.format(question="How do I reset my password?")
assert rendered.startswith("You are a support agent."), rendered

draft = load_prompt(NAME, version=1)
assert "first draft" in (draft.commit_message or "")
mlflow.delete_prompt(NAME, 1)
print("ok: prompt", NAME, "version", production.version, "->", rendered)

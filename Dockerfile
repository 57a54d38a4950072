# The image `migrator schedule --format k8s` names (migrator:VERSION): migrator and PostgreSQL's client tools
# (pg_dump/pg_restore of the cluster's major version or newer; Debian's postgresql-client follows Debian's).
#   docker build -t migrator:0.1.0 .
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md /src/
COPY migrator /src/migrator
RUN pip install --no-cache-dir /src && useradd --create-home migrator
USER migrator
ENTRYPOINT ["migrator"]

# One image for both the web and the worker; docker-compose.yml chooses the command.
FROM node:20-bookworm-slim AS assets
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY platform/ platform/
COPY apps/ apps/
RUN pip install --no-cache-dir -e .
COPY . .
COPY --from=assets /src/frontend/static/dist frontend/static/dist
RUN DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput --verbosity 0
EXPOSE 8000
CMD ["gunicorn", "dlmath.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4"]

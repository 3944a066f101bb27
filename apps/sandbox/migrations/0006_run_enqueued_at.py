from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sandbox", "0005_submission_diagnosis"),
    ]

    operations = [
        migrations.AddField(
            model_name="run",
            name="enqueued_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]

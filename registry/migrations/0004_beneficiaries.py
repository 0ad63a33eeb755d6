"""Participants (beneficiaries), their merges, import jobs, and the counter behind their codes."""
import datetime

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField, Model, TextField)


def up(migrator, db):
    class Province(Model):
        code = CharField(max_length=2, primary_key=True)

        class Meta:
            database = db
            table_name = "province"

    class User(Model):
        class Meta:
            database = db
            table_name = "app_user"

    class Counter(Model):
        name = CharField(max_length=32, primary_key=True)
        value = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "counter"

    class Beneficiary(Model):
        code = CharField(max_length=16, unique=True)
        given_name = CharField(max_length=100, default="")
        family_name = CharField(max_length=100, default="")
        given_name_km = CharField(max_length=100, default="")
        family_name_km = CharField(max_length=100, default="")
        sex = CharField(max_length=8)
        date_of_birth = DateField(null=True)
        birth_year = IntegerField(null=True)
        phone = CharField(max_length=20, default="", index=True)
        province = ForeignKeyField(Province, null=True, on_delete="RESTRICT", index=True)
        district = CharField(max_length=100, default="")
        commune = CharField(max_length=100, default="")
        village = CharField(max_length=100, default="")
        id_document_type = CharField(max_length=16, null=True)
        id_document_number = CharField(max_length=40, default="")
        category = CharField(max_length=20)
        destination_country = CharField(max_length=60, default="")
        sector_abroad = CharField(max_length=100, default="")
        return_date = DateField(null=True)
        return_mode = CharField(max_length=16, null=True)
        regular_migration = BooleanField(null=True)
        disability = BooleanField(null=True)
        idpoor = BooleanField(null=True)
        household_size = IntegerField(null=True)
        education_level = CharField(max_length=20, null=True)
        baseline_employment = CharField(max_length=32, null=True)
        baseline_monthly_income = DecimalField(max_digits=14, decimal_places=2, null=True)
        baseline_income_currency = CharField(max_length=3, null=True)
        consent_data_use = BooleanField(default=False)
        consent_follow_up = BooleanField(default=False)
        consent_photos = BooleanField(default=False)
        consent_on = DateField(null=True)
        consent_recorded_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        status = CharField(max_length=10, default="active", index=True)
        merged_into = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        registered_on = DateField(default=datetime.date.today)
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        created_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        latin_key = CharField(max_length=200, default="", index=True)
        phonetic_key = CharField(max_length=200, default="", index=True)
        khmer_key = CharField(max_length=200, default="", index=True)
        id_number_key = CharField(max_length=40, default="", index=True)
        match_birth_year = IntegerField(null=True, index=True)

        class Meta:
            database = db
            table_name = "beneficiary"

    class BeneficiaryMerge(Model):
        survivor = ForeignKeyField(Beneficiary, on_delete="RESTRICT")
        duplicate = ForeignKeyField(Beneficiary, on_delete="RESTRICT")
        merged_at = DateTimeField(default=datetime.datetime.utcnow)
        merged_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")
        detail = TextField(default="{}")
        undone_at = DateTimeField(null=True)
        undone_by = ForeignKeyField(User, null=True, on_delete="RESTRICT")

        class Meta:
            database = db
            table_name = "beneficiary_merge"

    class ImportJob(Model):
        created_by = ForeignKeyField(User, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        filename = CharField(max_length=255)
        content = BlobField()
        status = CharField(max_length=12, default="queued", index=True)
        total_rows = IntegerField(default=0)
        processed_rows = IntegerField(default=0)
        good_rows = IntegerField(default=0)
        imported_rows = IntegerField(default=0)
        report = TextField(default="{}")
        message = TextField(default="")
        heartbeat_at = DateTimeField(default=datetime.datetime.utcnow)
        finished_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "import_job"

    db.create_tables([Counter, Beneficiary, BeneficiaryMerge, ImportJob])
    Counter.create(name="beneficiary", value=0)


def down(migrator, db):
    for table in ("import_job", "beneficiary_merge", "beneficiary", "counter"):
        db.execute_sql(f"DROP TABLE {table}")

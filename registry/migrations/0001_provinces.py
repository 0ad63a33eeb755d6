"""Provinces: Cambodia's 25 provinces with their official two-digit codes and Khmer names."""
from peewee import BooleanField, CharField, Model

PROVINCES = [
    ("01", "Banteay Meanchey", "បន្ទាយមានជ័យ"),
    ("02", "Battambang", "បាត់ដំបង"),
    ("03", "Kampong Cham", "កំពង់ចាម"),
    ("04", "Kampong Chhnang", "កំពង់ឆ្នាំង"),
    ("05", "Kampong Speu", "កំពង់ស្ពឺ"),
    ("06", "Kampong Thom", "កំពង់ធំ"),
    ("07", "Kampot", "កំពត"),
    ("08", "Kandal", "កណ្ដាល"),
    ("09", "Koh Kong", "កោះកុង"),
    ("10", "Kratie", "ក្រចេះ"),
    ("11", "Mondulkiri", "មណ្ឌលគិរី"),
    ("12", "Phnom Penh", "ភ្នំពេញ"),
    ("13", "Preah Vihear", "ព្រះវិហារ"),
    ("14", "Prey Veng", "ព្រៃវែង"),
    ("15", "Pursat", "ពោធិ៍សាត់"),
    ("16", "Ratanakiri", "រតនគិរី"),
    ("17", "Siem Reap", "សៀមរាប"),
    ("18", "Preah Sihanouk", "ព្រះសីហនុ"),
    ("19", "Stung Treng", "ស្ទឹងត្រែង"),
    ("20", "Svay Rieng", "ស្វាយរៀង"),
    ("21", "Takeo", "តាកែវ"),
    ("22", "Oddar Meanchey", "ឧត្ដរមានជ័យ"),
    ("23", "Kep", "កែប"),
    ("24", "Pailin", "ប៉ៃលិន"),
    ("25", "Tboung Khmum", "ត្បូងឃ្មុំ"),
]


def up(migrator, db):
    class Province(Model):
        code = CharField(max_length=2, primary_key=True)
        name_en = CharField(max_length=100)
        name_km = CharField(max_length=100)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "province"

    db.create_tables([Province])
    Province.insert_many(PROVINCES, fields=[Province.code, Province.name_en, Province.name_km]).execute()


def down(migrator, db):
    db.execute_sql("DROP TABLE province")

"""The words and shares synthetic data is drawn from: names, places, programs, reasons, work.

Shares are relative weights (a key drawn in proportion to its value), chosen to look like a
counter-trafficking livelihood program in Cambodia, not measured from one.
"""

# Latin family and given names, common in Cambodia (the benchmarks' 40 × 80).
FAMILY_NAMES = [
    "Sok", "Chea", "Kim", "Lim", "Heng", "Chan", "Meas", "Nhem", "Ouk", "Pich", "Prak", "Sam", "Seng", "Srey",
    "Tep", "Touch", "Uy", "Vong", "Yin", "Keo", "Ly", "Mao", "Hem", "Chhun", "Kong", "Nuon", "Phan", "Ros", "Sar",
    "Suon", "Ung", "Yim", "Bun", "Chhay", "Eng", "Hor", "Khiev", "Long", "Nov", "Pen",
]
GIVEN_NAMES = [
    "Chanthy", "Dara", "Sokha", "Sophea", "Pisey", "Vuthy", "Sreyneang", "Bopha", "Rithy", "Makara", "Sophal",
    "Vannak", "Leakhena", "Channary", "Kosal", "Sambath", "Sothea", "Navy", "Ratana", "Piseth", "Sreypov",
    "Sreymom", "Sreyoun", "Sopheap", "Thida", "Vichet", "Chamroeun", "Borey", "Chantha", "Sovann", "Sokunthea",
    "Kunthea", "Nary", "Chariya", "Socheata", "Davy", "Mealea", "Phalla", "Pisal", "Visal", "Chenda",
    "Reaksmey", "Oudom", "Samnang", "Veasna", "Chantrea", "Sothy", "Sokhom", "Kimsan", "Bunthoeun", "Rattanak",
    "Sovannara", "Vibol", "Mony", "Sopheak", "Kanha", "Kalyan", "Panha", "Seyha", "Sreyleak", "Sreynich",
    "Sreymao", "Monyrath", "Ponleu", "Sovanna", "Malis", "Narin", "Sophy", "Theary", "Vanna", "Sokhim",
    "Chhorvy", "Kimheng", "Sothearith", "Vicheka", "Rachana", "Bunna", "Sarath", "Sokun", "Pheakdey",
]
# More family names whose Khmer spelling tools/name_pairs.tsv gives.
MORE_FAMILY_NAMES = ["Meng", "Hun", "Sun", "Nguon", "Chhim", "Chum", "San"]
# Only spellings we are sure of (most from tools/name_pairs.tsv); other names stay Latin-only.
KHMER = {
    "Sok": "សុខ", "Chea": "ជា", "Kim": "គឹម", "Lim": "លឹម", "Heng": "ហេង", "Chan": "ចាន់", "Meas": "មាស",
    "Ouk": "អ៊ុក", "Pich": "ពេជ្រ", "Prak": "ប្រាក់", "Seng": "សេង", "Srey": "ស្រី", "Tep": "ទេព", "Touch": "ទូច",
    "Uy": "អ៊ុយ", "Keo": "កែវ", "Ly": "លី", "Mao": "ម៉ៅ", "Kong": "គង់", "Nuon": "នួន", "Ros": "រស់",
    "Suon": "សួន", "Yim": "យឹម", "Chhay": "ឆាយ", "Eng": "អេង", "Hor": "ហោ", "Khiev": "ខៀវ", "Long": "ឡុង",
    "Meng": "ម៉េង", "Hun": "ហ៊ុន", "Sun": "ស៊ុន", "Nguon": "ងួន", "Chhim": "ឈឹម", "Chum": "ជុំ", "San": "សាន",
    "Chanthy": "ចាន់ធី", "Dara": "ដារ៉ា", "Sokha": "សុខា", "Sophea": "សុភា", "Pisey": "ពិសី", "Vuthy": "វុទ្ធី",
    "Sreyneang": "ស្រីនាង", "Bopha": "បុប្ផា", "Rithy": "រិទ្ធី", "Makara": "មករា", "Sophal": "សុផល",
    "Vannak": "វណ្ណៈ", "Leakhena": "លក្ខិណា", "Kosal": "កុសល", "Sambath": "សម្បត្តិ", "Sothea": "សុធា",
    "Ratana": "រតនា", "Piseth": "ពិសិដ្ឋ", "Sreypov": "ស្រីពៅ", "Sreymom": "ស្រីមុំ", "Sreyoun": "ស្រីអូន",
    "Sopheap": "សុភាព", "Thida": "ធីតា", "Vichet": "វិចិត្រ", "Chamroeun": "ចំរើន", "Borey": "បូរី",
    "Chantha": "ចន្ថា", "Sovann": "សុវណ្ណ", "Sokunthea": "សុគន្ធា", "Kunthea": "គន្ធា", "Nary": "ណារី",
    "Chariya": "ចរិយា", "Socheata": "សុជាតា", "Davy": "ដាវី", "Mealea": "មាលា", "Phalla": "ផល្លា",
    "Pisal": "ពិសាល", "Visal": "វិសាល", "Chenda": "ចិន្តា", "Reaksmey": "រស្មី", "Oudom": "ឧត្តម",
    "Samnang": "សំណាង", "Veasna": "វាសនា", "Chantrea": "ចន្ទ្រា",
}
# Other Latin spellings of the same Khmer name, as officers write them (tools/name_pairs.tsv).
SPELLINGS = {
    "Sok": ["Sokh"], "Chea": ["Chear"], "Kim": ["Kym"], "Ly": ["Li"], "Suon": ["Soun"], "Khiev": ["Khieu"],
    "Chhim": ["Chim"], "Chanthy": ["Chanthi", "Chanthey"], "Sreyneang": ["Srey Neang", "Sreineang"],
    "Sreypov": ["Srey Pov"], "Sreymom": ["Srey Mom"], "Sreyoun": ["Srey Oun"], "Dara": ["Darah"],
    "Sophal": ["Sophall"], "Vannak": ["Vanak"], "Rithy": ["Rithi"], "Pisey": ["Pisei"], "Leakhena": ["Leakena"],
    "Bopha": ["Boppha", "Bupha"], "Vuthy": ["Vuthi"], "Chamroeun": ["Chamreun"], "Borey": ["Bory"],
    "Sovann": ["Sovan"], "Ratana": ["Rattana", "Rathana"], "Reaksmey": ["Raksmey"], "Oudom": ["Udom"],
}
# Given names mostly borne by women or by men; the others are given to both.
FEMALE = {
    "Chanthy", "Sophea", "Pisey", "Sreyneang", "Bopha", "Leakhena", "Channary", "Sothea", "Navy", "Ratana",
    "Sreypov", "Sreymom", "Sreyoun", "Sopheap", "Thida", "Chantha", "Sokunthea", "Kunthea", "Nary", "Chariya",
    "Socheata", "Davy", "Mealea", "Phalla", "Chenda", "Reaksmey", "Chantrea", "Kanha", "Kalyan", "Sreyleak",
    "Sreynich", "Sreymao", "Malis", "Sophy", "Theary", "Chhorvy", "Vicheka", "Rachana", "Sokhim",
}
MALE = {
    "Dara", "Vuthy", "Rithy", "Makara", "Sophal", "Vannak", "Kosal", "Sambath", "Piseth", "Vichet", "Chamroeun",
    "Borey", "Sovann", "Pisal", "Visal", "Oudom", "Samnang", "Veasna", "Sothy", "Sokhom", "Kimsan", "Bunthoeun",
    "Rattanak", "Sovannara", "Vibol", "Sopheak", "Panha", "Seyha", "Monyrath", "Ponleu", "Narin", "Kimheng",
    "Sothearith", "Bunna", "Sarath", "Pheakdey",
}

# Participants by province: more where migration to Thailand is common, all 25 present.
PROVINCES = {
    "01": 10, "02": 9, "03": 6, "04": 4, "05": 4, "06": 4, "07": 3, "08": 4, "09": 2, "10": 2, "11": 1, "12": 4,
    "13": 2, "14": 8, "15": 3, "16": 1, "17": 7, "18": 2, "19": 1, "20": 5, "21": 4, "22": 4, "23": 1, "24": 2,
    "25": 4,
}
PLACES = ["Kouk Khmum", "Ou Mal", "Prek Preah Sdach", "Svay Pao", "Chamkar Leu", "Boeung Tonle", "Trapeang Veng",
          "Kampong Luong", "Prey Kuy", "Ta Kream", "Ou Char", "Anlong Vil", "Phnom Sampov", "Spean Thma",
          "Tuol Ta Ek", "Wat Kor", "Kantuot", "Chrey", "Sla Kram", "Rohal"]
# Mobile prefixes with the number of digits that follow them (E.164 +855 then 8 or 9 digits).
PHONE_PREFIXES = [("12", 6), ("17", 6), ("77", 6), ("92", 6), ("15", 6), ("70", 6), ("89", 6), ("97", 7), ("96", 7)]

SEX = {"female": 58, "male": 41, "other": 1}
CATEGORY = {"returned_migrant": 55, "at_risk": 45}
DESTINATIONS = {"Thailand": 62, "Malaysia": 12, "South Korea": 8, "Japan": 5, "China": 4, "Vietnam": 3,
                "Saudi Arabia": 2, "Singapore": 2, "Taiwan": 2}
SECTORS_ABROAD = {"construction": 25, "agriculture": 20, "manufacturing": 20, "fishing": 10, "domestic work": 10,
                  "hospitality": 8, "entertainment": 3, "": 4}
RETURN_MODE = {"deported": 35, "assisted": 25, "own": 40}
REGULAR = {True: 30, False: 55, None: 15}
EDUCATION = {"none": 12, "primary": 38, "lower_secondary": 28, "upper_secondary": 14, "vocational": 4, "higher": 2,
             None: 2}
ID_DOCUMENT = {None: 40, "national_id": 42, "idpoor": 10, "passport": 6, "other": 2}

# Training: (name, sector, donor award, minimum attendance, assessment required, share of cohorts).
PROGRAMS = [
    ("Sewing and garment", "garment", "Decent Work Award 2024-2027", "0.8", False, 22),
    ("Motorbike repair", "mechanics", "Decent Work Award 2024-2027", "0.8", True, 15),
    ("Cooking and hospitality", "hospitality", "Safe Migration Grant", "0.75", False, 16),
    ("Hairdressing and beauty", "services", "Safe Migration Grant", "0.8", False, 12),
    ("Electrical installation", "construction", "Decent Work Award 2024-2027", "0.8", True, 8),
    ("Agriculture and animal raising", "agriculture", "Rural Livelihoods Fund", "0.7", False, 12),
    ("Digital skills", "ICT", "Safe Migration Grant", "0.8", True, 7),
    ("Small business", "retail", "Rural Livelihoods Fund", "0.75", False, 8),
]
VENUES = ["Provincial training centre", "Commune hall", "Vocational training centre", "Pagoda hall",
          "Partner NGO centre"]
WEEKDAYS = {(0, 2, 4): 50, (1, 3, 5): 25, (0, 1, 2, 3, 4): 25}  # Mon/Wed/Fri, Tue/Thu/Sat, 3 h; every weekday, 4 h
CANCELLED_NOTES = ["Trainer ill", "Public holiday", "Flooding", "Venue not available"]
DROPOUT_REASONS = ["Found work", "Migrated to Thailand for work", "Family duties", "Illness", "Moved away",
                   "Could not afford transport", "Pregnancy", "Lost interest"]
WITHDRAWAL_REASONS = ["Found work before the training started", "Family did not agree", "Moved to another province",
                      "Enrolled in the wrong cohort", "Chose another program"]
OVERRIDE_REASONS = ["Missed sessions through illness; caught up with the trainer",
                    "Passed the practical test despite absences", "Absences excused by the program manager"]

# Follow-ups: what a reached person does now, and where re-migrants went.
WORK = {"wage_employed": 34, "self_employed": 24, "unemployed": 22, "in_training_or_education": 8,
        "migrated_abroad": 12}
EMPLOYERS = ["Garment factory", "Hotel", "Restaurant", "Construction company", "Motorbike shop", "Salon", "Market",
             "Rice mill", "Phone shop", "Guesthouse"]
SECTORS = ["garment", "hospitality", "construction", "mechanics", "services", "agriculture", "retail"]
COUNTRIES = {"Thailand": 60, "Malaysia": 15, "South Korea": 15, "Japan": 10}

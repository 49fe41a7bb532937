"""Places for the simulator's post tests: two regions as the gazetteer listed them (fixed here so
the tests do not follow the region data's format) and a made-up one in another province."""

BATAM = {
    "Belakang Padang": ["Kasu", "Pecong", "Pemping", "Pulau Terong", "Sekanak Raya", "Tanjung Sari"],
    "Batu Ampar": ["Batu Merah", "Kampung Seraya", "Sungai Jodoh", "Tanjung Sengkuang"],
    "Sekupang": ["Patam Lestari", "Sungai Harapan", "Tanjung Pinggir", "Tanjung Riau",
                 "Tiban Baru", "Tiban Indah", "Tiban Lama"],
    "Nongsa": ["Batu Besar", "Kabil", "Ngenang", "Sambau"],
    "Bulang": ["Batu Legong", "Bulang Lintang", "Pantai Gelam", "Pulau Buluh", "Pulau Setokok",
               "Temoyong"],
    "Lubuk Baja": ["Baloi Indah", "Batu Selicin", "Kampung Pelita", "Lubuk Baja Kota",
                   "Tanjung Uma"],
    "Sei Beduk": ["Duriangkang", "Mangsang", "Muka Kuning", "Tanjung Piayu"],
    "Galang": ["Air Raja", "Galang Baru", "Karas", "Pulau Abang", "Rempang Cate", "Sembulang",
               "Sijantung", "Subang Mas"],
    "Bengkong": ["Bengkong Indah", "Bengkong Laut", "Sadai", "Tanjung Buntung"],
    "Batam Kota": ["Baloi Permai", "Belian", "Sukajadi", "Sungai Panas", "Taman Baloi",
                   "Teluk Tering"],
    "Sagulung": ["Sagulung Kota", "Sungai Binti", "Sungai Langkai", "Sungai Lekop",
                 "Sungai Pelunggut", "Tembesi"],
    "Batu Aji": ["Bukit Tempayan", "Buliang", "Kibing", "Tanjung Uncang"],
}  # fmt: skip
MAKASSAR = {
    "Mariso": ["Mariso", "Panambungan", "Lette", "Kampung Buyang"],
    "Mamajang": ["Mamajang Dalam", "Labuang Baji", "Bonto Lebang"],
    "Tamalate": ["Mangasa", "Parang Tambung", "Tanjung Merdeka", "Barombong", "Jongaya",
                 "Balang Baru"],
    "Rappocini": ["Banta-Bantaeng", "Gunung Sari", "Karunrung", "Tidung", "Bonto Makkio"],
    "Makassar": ["Maradekaya", "Bara-Baraya", "Barana"],
    "Ujung Pandang": ["Losari", "Pisang Utara", "Baru", "Bulogading"],
    "Wajo": ["Melayu", "Ende", "Butung"],
    "Bontoala": ["Bontoala", "Gaddong", "Layang"],
    "Ujung Tanah": ["Tabaringan", "Pattingalloang", "Totaka"],
    "Tallo": ["Kaluku Bodoa", "Rappokalling", "Tallo", "Buloa"],
    "Panakkukang": ["Karampuang", "Masale", "Pandang", "Tamamaung", "Sinrijala"],
    "Manggala": ["Antang", "Batua", "Borong"],
    "Biringkanaya": ["Daya", "Sudiang", "Paccerakkang"],
    "Tamalanrea": ["Tamalanrea", "Kapasa", "Bira"],
    "Kepulauan Sangkarrang": ["Barrang Lompo", "Barrang Caddi", "Kodingareng"],
}  # fmt: skip
ELSEWHERE = {  # made up: a town in Kalimantan (province 63), for a region the writer never saw
    "Sungai Rangas": ["Sungai Rangas Hulu", "Tanjung Rema", "Pulau Alalak"],
    "Bukit Lintang": ["Kampung Baru Ilir", "Bukit Rawi", "Teluk Dalam"],
    "Martapura Lama": [],
}  # fmt: skip
REGIONS = {"21.71": BATAM, "73.71": MAKASSAR, "63.99": ELSEWHERE}
# Names of the shipped regions that the writer's own tables must never hold.
REGION_NAMES = (
    "Batam", "Makassar", "Simpang Jam", "Nagoya", "Pasar Jodoh", "Jembatan Barelang",
    "Pelabuhan Sekupang", "Alun Alun Engku Putri", "Hang Nadim", "Tiban Center", "Pasar Aviari",
    "Bundaran Madani", "Pantai Losari", "Karebosi", "Fort Rotterdam", "Mall Panakkukang",
    "Trans Studio", "Soekarno Hatta", "Pasar Terong", "Masjid 99 Kubah", "Hasanuddin",
    *(k for region in (BATAM, MAKASSAR) for k in region if len(k.split()) > 1),
)  # fmt: skip

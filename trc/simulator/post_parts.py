"""Phrase tables for the simulator's social posts: openers, times, pleas, danger, places, slang,
the region's dialect particles, and posts that are no report at all (noise).

Written for the simulator, not taken from the triage corpus. Nothing here names a region's
places: they come from the gazetteer at run time.
"""

from __future__ import annotations

OPENERS = (
    "Min,", "Lapor min,", "Info,", "Permisi admin,", "Assalamualaikum,", "Guys,", "Mau tanya,",
    "Numpang info,", "Halo {mention},", "Mohon perhatiannya,", "Sekadar info,", "Warga sini mau "
    "lapor,", "Maaf ganggu min,", "Tolong dibaca,",
)  # fmt: skip
GREETING = {"pagi": "Selamat pagi min,", "siang": "Selamat siang min,",
            "sore": "Selamat sore min,", "malam": "Selamat malam min,"}  # fmt: skip

# What a passer-by says before the person: "{seen} {who} {doing}".
SEEN = ("ada", "ada", "kelihatan", "ketemu", "ada lagi", "terlihat")

# Times by part of the day, chosen to fit the hour the post is sent: {h} that hour (0–23),
# {k} on a twelve-hour clock, {m} minutes.
TIMES = {
    "dini": ("dini hari ini", "tengah malam begini", "jam {k} dini hari", "pkl {h}.{m}"),
    "pagi": ("pagi ini", "tadi pagi", "jam {k} pagi", "pkl {h}.{m}", "jam {k}an"),
    "siang": ("siang ini", "tadi siang", "jam {k}an", "pkl {h}.{m}"),
    "sore": ("sore ini", "tadi sore", "menjelang magrib", "jam {k}an"),
    "malam": ("malam ini", "barusan malam ini", "jam {h}.{m}", "pkl {h}.{m}", "jam {k}an"),
}
ANY_TIME = ("barusan", "dari tadi", "sekarang", "baru saja")
HABIT = ("sudah beberapa hari", "tiap hari")  # not for a danger happening now

PLEAS = (
    "mohon segera ditindaklanjuti", "tolong dibantu", "bisa dicek petugas?",
    "siapa yang bisa hubungi dinas sosial?", "tolong diteruskan ke pihak terkait",
    "kasihan banget lihatnya", "ada nomor TRC dinsos tidak?", "semoga cepat ada yang turun",
    "tolong share biar sampai ke petugas", "mohon bantuannya", "harus lapor ke mana ya?",
    "warga sudah resah", "apa ada yang bisa jemput?", "kira-kira dinsos bisa datang tidak?",
    "tidak tega lihatnya", "adakah relawan di dekat situ?", "sudah lapor RT tapi belum ada "
    "tindakan",
)  # fmt: skip

# Danger, for when the plan says so. Each phrase says it plainly; none of them is calm.
VIOLENCE_BY = (
    "masih ngamuk, warga takut mendekat", "barusan memukul orang yang lewat",
    "mengancam warga pakai kayu", "ngamuk sambil lempar batu ke kendaraan",
    "barusan menyerang pedagang di situ",
)  # fmt: skip
VIOLENCE_TO = (
    "kelihatannya barusan dipukuli orang", "tadi dikeroyok beberapa orang",
    "barusan dianiaya orang tak dikenal", "barusan ditendang preman situ",
    "tadi diancam orang pakai pisau",
)  # fmt: skip
DANGER = {
    "medical": (
        "sekarang sudah tidak sadar", "barusan pingsan", "kejang-kejang di trotoar",
        "kakinya luka dan berdarah", "kelihatan lemas banget, bangun saja tidak bisa",
        "seperti sesak napas, mukanya pucat",
    ),
    "disaster": (
        "tempatnya kebanjiran, airnya masih naik", "gubuknya kena longsor tadi",
        "tempat tinggalnya ikut terbakar",
    ),
    "child": (
        "bawa anak kecil juga", "ada anaknya juga, masih balita", "bersama bocah kira-kira 5 "
        "tahun",
    ),
}  # fmt: skip
CHILD_WORDS = ("anak", "bocah", "bocil", "bayi", "balita", "remaja", "ank", "anjal", "cilik")

EMOJI = ("🙏", "😢", "😭", "🥺", "😔", "⚠️", "‼️", "🙏🙏", "😞", "💔")
HASHTAGS = ("#dinsos", "#infowarga", "#peduli", "#kemanusiaan", "#viral", "#laporwarga",
            "#bantusesama", "#pedulisosial")  # fmt: skip
MENTIONS = ("@dinsos", "@dinassosial", "@pemda", "@infowarga", "@laporwarga", "@satpolpp")

# Where: generic spots around a kelurahan or kecamatan, and ways of writing a place's words.
SPOTS = (
    "halte", "pasar", "simpang", "terminal", "masjid", "minimarket", "pos kamling", "ruko",
    "jembatan", "taman", "SPBU", "lampu merah", "pangkalan ojek", "puskesmas", "kantor lurah",
)  # fmt: skip
NAME_SHORT = {
    "sungai": ("Sei", "Sg.", "Sungai"), "sei": ("Sungai", "Sei"), "tanjung": ("Tg.", "Tj."),
    "kampung": ("Kp.", "Kampung"), "pulau": ("P.", "Pulau"), "bukit": ("Bkt.", "Bukit"),
}  # fmt: skip
KELURAHAN = ("di kel. {kel}", "di Kel {kel}", "di kelurahan {kel}", "daerah {kel}", "di {kel}",
             "sekitar {kel}", "di {kel}, kec. {kec}", "di kel. {kel} kec. {kec}",
             "di {kel} ({kec})", "di Jl. Raya {kel}", "di jalan masuk {kel}", "dekat {spot} {kel}",
             "di {spot} daerah {kel}", "di gang belakang {spot} {kel}")  # fmt: skip
# A kabupaten's villages are desa: the same ways, the word that fits.
DESA = ("di desa {kel}", "di Desa {kel}", "di ds. {kel}", "daerah {kel}", "di {kel}",
        "sekitar {kel}", "di {kel}, kec. {kec}", "di desa {kel} kec. {kec}", "di {kel} ({kec})",
        "di Jl. Raya {kel}", "di jalan masuk desa {kel}", "dekat {spot} {kel}",
        "di {spot} daerah {kel}", "di gang belakang {spot} {kel}")  # fmt: skip
KECAMATAN = ("di kec. {kec}", "di Kec {kec}", "di kecamatan {kec}", "daerah {kec}",
             "wilayah {kec}", "di {kec}", "sekitaran {kec}", "di {spot} {kec}",
             "dekat {spot} kec. {kec}", "di Jln. utama {kec}")  # fmt: skip

# Light slang: a word and the ways people shorten it.
SLANG = {
    "yang": ("yg",), "tidak": ("tdk", "gk", "gak", "ga"), "dengan": ("dgn",),
    "sudah": ("sdh", "udh", "udah"), "orang": ("org",), "banget": ("bgt",),
    "anak-anak": ("anak2", "ank2"), "anak": ("ank",), "sekarang": ("skrg",), "belum": ("blm",),
    "saja": ("aja",), "juga": ("jg",), "tolong": ("tlg",), "kasihan": ("kasian",),
    "malam": ("mlm", "malem"), "untuk": ("utk",), "karena": ("krn",), "dekat": ("dkt",),
    "bapak": ("bpk",), "tapi": ("tp",), "minta-minta": ("minta2",), "bapak-bapak": ("bapak2",),
    "ibu-ibu": ("ibu2",), "bocah-bocah": ("bocah2",), "pura-pura": ("pura2",),
    "teriak-teriak": ("teriak2",), "lari-lari": ("lari2",), "kejang-kejang": ("kejang2",),
    "mas-mas": ("mas2",), "om-om": ("om2",), "laki-laki": ("laki2", "cowok"), "lihat": ("liat",),
    "bagaimana": ("gimana", "gmn"), "terus": ("trs",), "lagi": ("lg",), "kalau": ("kalo",),
}  # fmt: skip

# Sentence-end particles, by the first two digits of the region code (its province); a
# province not listed uses the default. Dialect, not place names: any region of the province.
PARTICLES: dict[str, tuple[str, ...]] = {
    "": ("ya", "nih", "dong", "deh"),
    **dict.fromkeys(("11", "12", "13", "14", "15", "16", "17", "18", "19", "21"),
                    ("lah", "ya", "kan")),
    **dict.fromkeys(("31", "36"), ("dong", "nih", "deh", "sih")),
    "32": ("atuh", "euy", "ya"),
    **dict.fromkeys(("33", "34"), ("lho", "to", "ya")),
    "35": ("rek", "lho", "ya"),
    **dict.fromkeys(("51", "52", "53"), ("nah", "ya")),
    **dict.fromkeys(("61", "62", "63", "64", "65"), ("lah", "kah", "ya")),
    **dict.fromkeys(("71", "72", "73", "74", "75", "76"), ("dih", "ji", "mi", "ki")),
    **dict.fromkeys(("81", "82", "91", "92", "93", "94", "95", "96"), ("to", "kah", "su")),
}  # fmt: skip

# Posts that are no report: by kind, each with {place} (a place phrase), {kec}, {n}, {time}.
NOISE = {
    "donation": (
        "Open donasi untuk warga kurang mampu {place}, bukti transfer japri ya",
        "Yuk bantu renovasi musala {place}, sekecil apa pun sangat berarti",
        "Galang dana buat tetangga kami yang rumahnya rusak {place}, info lengkap di bio",
        "Kami dari komunitas berbagi nasi {place} butuh relawan Jumat ini, siapa mau ikut?",
    ),
    "programme": (
        "Pencairan PKH tahap {n} sudah mulai di kantor pos {place}, bawa KTP dan KKS",
        "Info: pendaftaran DTKS dibuka di kantor kelurahan, warga {kec} silakan datang",
        "Posyandu lansia bulan ini {place} hari Sabtu jam 8",
        "BLT tahap {n} katanya cair minggu depan, benar tidak min?",
        "Sembako murah dari pemda {place} besok pagi, jangan lupa bawa kupon",
    ),
    "joke": (
        "Dompet akhir bulan ini yang paling butuh bantuan sosial 😂",
        "Kucing tetangga lebih terurus daripada saya wkwk",
        "Kalau macet begini mending tidur di jalan sekalian 🤣 {place}",
        "Lihat harga cabai hari ini rasanya mau minta-minta ke mamak 😭",
        "Gajian cuma numpang lewat, saya sendiri yang terlantar 🤣",
    ),
    "ad": (
        "Dijual rumah tipe 36 {place}, SHM, nego tipis. Minat DM",
        "Terima servis AC panggilan area {kec}, WA aja",
        "Promo paket nasi kotak untuk acara, gratis ongkir se-{kec}",
        "Lowongan kerja: dicari kasir toko {place}, kirim lamaran ke DM",
        "Kos putri dekat {spot} {kec}, kamar mandi dalam, sisa {n} kamar",
    ),
    "lost_cat": (
        "Kucing oren saya hilang {place} {time}, kalungnya merah. Yang lihat tolong kabari",
        "Dicari kucing anggora abu-abu yang lepas {place}, imbalan menanti buat penemunya",
        "Ada yang lihat kucing belang tiga {place}? Dia belum pulang {n} hari ini",
    ),
    "handled": (
        "Alhamdulillah, bapak yang kemarin tidur di halte {place} sudah dijemput petugas dinsos",
        "Update: nenek yang viral {place} sudah dipulangkan ke keluarganya, terima kasih semua",
        "Minggu lalu TRC bantu warga {place}, terima kasih gerak cepatnya",
        "Yang kemarin ramai soal orang telantar {place}, sudah ditangani petugas ya",
    ),
    "chatter": (
        "Jalan {place} macet total, ada perbaikan pipa",
        "Mati lampu lagi {place}, kapan normal min?",
        "Ada yang tahu bengkel buka malam {place}?",
        "Lomba tujuh belasan RT kami {place} seru sekali",
        "Hujan deras {place}, hati-hati yang lewat, jalan licin",
    ),
}
NOISE_WEIGHTS = {"donation": 2, "programme": 2, "joke": 1, "ad": 2, "lost_cat": 1,
                 "handled": 2, "chatter": 2}  # fmt: skip

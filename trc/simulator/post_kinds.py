"""Phrase tables for the simulator's social posts: how people describe each PPKS category.

Written for the simulator, not taken from the triage corpus (a test checks that no post shares
six words in a row with it). Calm phrases hold no danger word: danger is added only when the plan
says so (``post_parts.DANGER`` or a category's own ``now``). Every phrase of a child category
names a child; no phrase of another category does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADULTS = ("{n} orang", "sekitar {n} orang", "ada {n} orang")


@dataclass(frozen=True)
class Kind:
    label: tuple[str, ...]  # the person named by what they are ("ODGJ", "pemulung")
    plain: tuple[str, ...]  # the person without a label, to be read from what they do
    doing: tuple[str, ...]  # what is happening: says the category by itself
    group: tuple[str, ...] = ADULTS  # several people; {n} is their number
    child: bool = False  # the person is a child: every phrase above names one
    acts: bool = False  # in danger of violence they do it (others suffer it)
    now: dict[str, tuple[str, ...]] = field(default_factory=dict)  # its own danger phrases
    with_child: tuple[str, ...] = ()  # whole descriptions for when a child is with them
    disaster: bool = False  # its ``doing`` is the aftermath; ``now["disaster"]`` the event


KINDS: dict[str, Kind] = {
    "anak_balita_terlantar": Kind(
        label=("balita terlantar", "bayi yang dibuang", "balita yang tidak ada orang tuanya"),
        plain=(
            "seorang bayi",
            "bayi laki-laki",
            "bayi perempuan",
            "balita kira-kira 2 tahun",
            "anak kecil yang belum bisa jalan",
        ),
        doing=(
            "ditaruh dalam kardus di teras rumah warga",
            "ditinggal di kursi musala, tidak ada yang mengaku ibunya",
            "dititip ke tetangga tapi ibunya tidak pernah balik",
            "ditemukan warga di pos kamling dibungkus sarung",
            "menangis terus di kamar kontrakan, orang tuanya pergi dari semalam",
        ),
        group=("{n} balita", "bayi kembar", "{n} anak kecil"),
        child=True,
    ),
    "anak_terlantar": Kind(
        label=("anak terlantar", "anak yang tidak terurus", "anak yang ditelantarkan"),
        plain=("anak laki-laki umur 10an", "bocah perempuan", "anak SD", "bocah umur 8 tahun"),
        doing=(
            "tinggal sendirian di rumah, orang tuanya tidak pulang-pulang",
            "keliaran tanpa ada yang jaga, bajunya itu-itu saja",
            "makan dari sisa warung, tidak sekolah",
            "ditinggal ibunya merantau, tidak ada yang urus",
            "tidur di teras rumah orang, katanya takut pulang",
        ),
        group=("{n} anak", "{n} bocah", "kakak beradik, {n} anak"),
        child=True,
    ),
    "anak_berhadapan_hukum": Kind(
        label=("anak yang kena kasus", "remaja yang ditahan", "anak yang berurusan dengan polisi"),
        plain=("remaja tanggung", "anak umur 14an", "bocah SMP", "anak laki-laki belasan tahun"),
        doing=(
            "ketahuan mencuri ponsel, sekarang ditahan di polsek",
            "diamankan warga karena ambil barang di warung",
            "dibawa ke kantor polisi habis ikut balap liar, orang tuanya belum datang",
            "ikut geng motor, sekarang diamankan petugas dan bingung mau dihubungi siapa",
        ),
        group=("{n} remaja", "{n} anak", "beberapa bocah SMP"),
        child=True,
        acts=True,
    ),
    "anak_jalanan": Kind(
        label=("anak jalanan", "anjal", "pengamen cilik"),
        plain=("bocah-bocah", "anak-anak kecil", "anak perempuan umur 7an", "bocah dekil"),
        doing=(
            "ngamen di lampu merah",
            "jualan tisu di perempatan sampai larut",
            "lari-lari di antara mobil minta uang",
            "lap kaca mobil di simpang, dikasih receh",
            "nongkrong di bawah jembatan, tidak sekolah",
            "main di tengah jalan sambil minta-minta ke pengendara",
        ),
        group=("{n} bocah", "segerombolan anak kecil", "{n} anak"),
        child=True,
    ),
    "anak_disabilitas": Kind(
        label=("anak berkebutuhan khusus", "anak disabilitas", "anak difabel"),
        plain=("anak yang tidak bisa jalan", "bocah tunarungu", "anak dengan keterbatasan"),
        doing=(
            "terus dikunci di kamar, tidak pernah disekolahkan",
            "dibiarkan di kursi roda rusak depan rumah seharian",
            "tidak pernah dapat terapi, orang tuanya sudah pasrah",
            "dibawa keliling pasar buat minta belas kasihan",
        ),
        group=("{n} anak", "kakak beradik difabel, {n} anak"),
        child=True,
    ),
    "anak_korban_kekerasan": Kind(
        label=("anak yang sering disakiti orang tuanya", "anak yang diperlakukan kasar"),
        plain=("anak tetangga", "bocah umur 6 tahun", "anak perempuan kelas 3 SD"),
        doing=(
            "badannya penuh memar, katanya jatuh tapi tiap minggu begitu",
            "ada bekas sundutan rokok di lengannya",
            "sering terdengar menjerit dari dalam rumah",
            "takut pulang karena dimarahi habis-habisan sama ibu tirinya",
        ),
        group=("{n} anak", "kakak beradik, {n} anak"),
        child=True,
        now={
            "violence": (
                "barusan dipukuli bapaknya pakai ikat pinggang",
                "ditendang sampai jatuh di depan rumah",
                "sedang dianiaya, suaranya kedengaran sampai jalan",
            )
        },
    ),
    "anak_perlindungan_khusus": Kind(
        label=("anak yang dipekerjakan", "anak yang dieksploitasi"),
        plain=("anak perempuan umur 13an", "bocah laki-laki", "remaja putri"),
        doing=(
            "disuruh kerja di warung sampai tengah malam, tidak sekolah",
            "dipaksa jualan oleh orang dewasa yang menunggu di motor",
            "dijadikan kurir barang oleh orang dewasa",
            "dibawa orang tidak dikenal, kelihatan ketakutan",
        ),
        group=("{n} anak", "beberapa remaja putri"),
        child=True,
    ),
    "lanjut_usia_terlantar": Kind(
        label=("lansia terlantar", "lansia yang tidak terurus", "manula"),
        plain=("nenek", "kakek", "nenek bungkuk", "kakek tua", "bapak tua beruban"),
        doing=(
            "menghuni gubuk reyot, tidak ada yang mengurus",
            "duduk bingung di pinggir jalan, tidak tahu jalan pulang",
            "jalan bawa kantong plastik, ditanya rumahnya tidak ingat",
            "makan kalau dikasih tetangga saja",
            "keluarganya sudah lama tidak pernah menjenguk",
        ),
        group=("pasangan kakek nenek", "{n} lansia", "{n} orang tua renta"),
    ),
    "penyandang_disabilitas": Kind(
        label=("penyandang disabilitas", "difabel", "tunanetra", "pengguna kursi roda"),
        plain=("bapak yang kakinya diamputasi", "ibu tunanetra", "laki-laki tunawicara"),
        doing=(
            "tidak ada yang bantu, tiap hari merangkak ke warung",
            "ditinggal keluarganya di kamar kos",
            "kursi rodanya rusak, tidak bisa ke mana-mana",
            "kebingungan di terminal, tidak ada pendamping",
        ),
    ),
    "tuna_susila": Kind(
        label=("PSK", "wanita panggilan", "pekerja seks"),
        plain=("beberapa perempuan muda", "cewek-cewek berpakaian minim", "perempuan"),
        doing=(
            "tiap malam mangkal di tepi jalan dekat warung remang-remang",
            "menunggu tamu di depan penginapan murah",
            "menawarkan diri ke pengendara yang lewat",
            "berdiri di bawah lampu jalan lalu dijemput om-om bermobil",
        ),
        group=("{n} perempuan", "sekitar {n} cewek"),
    ),
    "gelandangan": Kind(
        label=("gelandangan", "tunawisma", "gembel", "orang yang tidak punya rumah"),
        plain=("bapak-bapak", "laki-laki paruh baya", "ibu-ibu tua", "mas-mas kumal"),
        doing=(
            "tiap malam numpang tidur beralas kardus di emperan",
            "bermalam di bawah jembatan dengan satu tas lusuh",
            "bawa buntelan besar, pindah-pindah tidur di halte",
            "mandi di keran masjid, tidurnya di bangku taman",
            "sudah berminggu-minggu tidur di teras ruko kosong",
        ),
        with_child=("ibu tunawisma tidur di emperan sambil mendekap bayinya",),
    ),
    "pengemis": Kind(
        label=("pengemis", "pengemis tua"),
        plain=("ibu-ibu", "bapak tua", "nenek", "laki-laki yang pura-pura pincang"),
        doing=(
            "minta-minta di lampu merah",
            "keliling warung menadahkan tangan",
            "nongkrong depan ATM sambil menadahkan tangan",
            "ketuk-ketuk kaca mobil di perempatan minta receh",
            "minta sedekah di depan masjid tiap hari",
        ),
        with_child=(
            "perempuan muda menyodorkan gelas plastik ke pengendara sambil menggendong bayi",
            "bapak bersama anak kecil minta-minta di depan minimarket",
        ),
    ),
    "pemulung": Kind(
        label=("pemulung",),
        plain=("bapak-bapak bawa karung", "ibu-ibu dengan gerobak"),
        doing=(
            "mulung di tempat sampah lalu tidur di gerobaknya",
            "mengorek sampah cari botol, tinggalnya di gerobak",
            "tinggal di gubuk plastik dekat TPS",
        ),
        with_child=("pemulung tidur di gerobak bersama balitanya",),
    ),
    "kelompok_minoritas": Kind(
        label=("waria", "kelompok minoritas", "warga minoritas"),
        plain=("beberapa waria", "warga pendatang"),
        doing=(
            "diusir dari kontrakan karena dianggap berbeda",
            "dikucilkan warga, tidak boleh tinggal di kampung",
            "tidur di pos karena tidak diterima lingkungan",
        ),
    ),
    "bekas_warga_binaan": Kind(
        label=("mantan napi", "eks warga binaan", "bekas narapidana"),
        plain=("laki-laki yang baru keluar dari lapas", "bapak yang baru bebas"),
        doing=(
            "tidak diterima keluarganya, sekarang tidur di terminal",
            "tidak punya KTP dan pekerjaan, luntang-lantung",
            "bingung mau pulang ke mana setelah bebas",
        ),
    ),
    "orang_dengan_hiv": Kind(
        label=("ODHA", "orang dengan HIV"),
        plain=("laki-laki kurus", "ibu muda"),
        doing=(
            "diusir dari kos setelah ketahuan positif",
            "putus obat ARV, tidak punya biaya ke puskesmas",
            "dikucilkan keluarganya, tinggal menyendiri di gubuk reyot",
        ),
    ),
    "korban_napza": Kind(
        label=("pecandu", "orang yang kecanduan narkoba", "korban narkoba"),
        plain=("pemuda", "mas-mas", "laki-laki tanggung"),
        doing=(
            "sakau di pinggir jalan",
            "ngelem di kolong jembatan tiap hari",
            "teler di pos kamling dengan botol obat",
            "mabuk obat keras, jalannya sempoyongan",
        ),
        acts=True,
    ),
    "korban_trafficking": Kind(
        label=("korban perdagangan orang", "korban TPPO"),
        plain=("perempuan muda", "beberapa laki-laki dari luar daerah"),
        doing=(
            "kabur dari penampungan, paspornya ditahan agen",
            "dijanjikan kerja tapi malah dikurung di rumah",
            "dibawa calo dari kampung, tidak digaji sama sekali",
            "ditemukan di pelabuhan tanpa dokumen, mengaku ditipu agen",
        ),
    ),
    "korban_tindak_kekerasan": Kind(
        label=("ibu yang sering disakiti suaminya", "istri yang diperlakukan kasar"),
        plain=("ibu muda", "seorang perempuan", "seorang istri"),
        doing=(
            "badannya biru-biru, takut pulang ke rumah",
            "lari ke rumah tetangga, takut sama suaminya",
            "menumpang di musala karena tidak berani pulang",
        ),
        now={
            "violence": (
                "barusan dipukul suaminya di depan rumah",
                "dianiaya pacarnya, sekarang sembunyi di warung",
                "diancam suaminya pakai pisau",
            )
        },
    ),
    "pekerja_migran_bermasalah": Kind(
        label=("PMI bermasalah", "TKI yang dideportasi", "pekerja migran"),
        plain=("laki-laki yang baru pulang dari luar negeri", "ibu mantan TKW"),
        doing=(
            "dipulangkan dari negeri jiran tanpa uang sepeser pun",
            "telantar di pelabuhan menunggu ongkos pulang kampung",
            "gajinya tidak dibayar majikan, sekarang luntang-lantung",
        ),
    ),
    "korban_bencana_alam": Kind(
        label=("warga terdampak", "pengungsi", "korban bencana"),
        plain=("beberapa keluarga", "warga satu RT", "ibu-ibu dan lansia"),
        doing=(
            "rumahnya rusak sejak banjir minggu lalu, masih tidur di tenda",
            "masih mengungsi di balai warga, kekurangan selimut dan makanan",
            "belum dapat bantuan apa pun sejak longsor 3 hari lalu",
        ),
        group=(
            "{n} jiwa",
            "{n} orang",
            "satu keluarga, {n} orang",
            "{n} warga termasuk lansia",
            "keluarga besar, {n} orang",
        ),
        disaster=True,
        now={
            "disaster": (
                "kebanjiran, air sudah sepinggang dan terus naik",
                "naik ke atap rumah karena banjir makin tinggi",
                "terkepung banjir, perahu karet belum datang",
                "terjebak banjir di lantai dua, belum dievakuasi",
                "rumahnya tertimbun longsor, belum bisa keluar",
                "rumahnya ambruk kena gempa, semua di luar sekarang",
            )
        },
    ),
    "korban_bencana_sosial": Kind(
        label=("pengungsi konflik", "korban bentrok warga", "warga yang mengungsi"),
        plain=("beberapa keluarga", "warga kampung sebelah"),
        doing=(
            "rumahnya rusak waktu bentrok antarkampung bulan lalu, masih menumpang di sekolah",
            "mengungsi ke masjid setelah keributan, belum berani pulang",
        ),
        group=("{n} jiwa", "{n} orang"),
        disaster=True,
        now={
            "disaster": (
                "rumahnya terbakar saat bentrok barusan, banyak yang lari",
                "terjebak bentrok yang masih berlangsung, rumah-rumah terbakar",
            )
        },
    ),
    "perempuan_rawan_sosial_ekonomi": Kind(
        label=("janda miskin", "ibu tunggal tanpa penghasilan"),
        plain=("seorang janda", "ibu tunggal", "seorang ibu"),
        doing=(
            "ditinggal suami, sama sekali tidak punya pemasukan",
            "kerja serabutan tidak cukup buat makan",
            "sudah nunggak kontrakan 3 bulan, mau diusir",
        ),
        with_child=("janda yang menghidupi anak-anak kecilnya tanpa pemasukan apa pun",),
    ),
    "fakir_miskin": Kind(
        label=("keluarga miskin", "warga tidak mampu", "keluarga prasejahtera"),
        plain=("keluarga", "bapak buruh harian", "pasangan suami istri"),
        doing=(
            "tinggal di rumah papan yang hampir ambruk",
            "makan sehari sekali, belum terdaftar bantuan",
            "tidak punya apa-apa, tidur beralas tikar",
            "rumahnya bocor, tidak ada biaya perbaikan",
        ),
        group=("{n} orang", "satu keluarga, {n} orang"),
    ),
    "keluarga_bermasalah_sosial_psikologis": Kind(
        label=("keluarga bermasalah", "keluarga yang berantakan"),
        plain=("pasangan suami istri", "keluarga sebelah rumah"),
        doing=(
            "tiap hari ribut besar sampai tetangga resah",
            "bapaknya mabuk terus, ibunya stres berat",
            "cekcok terus, perabot dilempar keluar rumah",
        ),
        group=("{n} orang", "satu keluarga, {n} orang"),
        acts=True,
    ),
    "komunitas_adat_terpencil": Kind(
        label=("komunitas adat terpencil", "warga suku pedalaman"),
        plain=("beberapa keluarga di pedalaman", "warga kampung di ujung"),
        doing=(
            "belum tersentuh bantuan, akses jalannya putus",
            "tinggal jauh dari puskesmas, tidak punya KTP",
            "harus jalan kaki berjam-jam ke pasar terdekat",
        ),
        group=("{n} jiwa", "{n} keluarga"),
    ),
    "odgj_terlantar": Kind(
        label=("ODGJ", "orang dengan gangguan jiwa", "orang gila", "orang stres"),
        plain=("laki-laki gondrong", "bapak-bapak kumal", "perempuan paruh baya", "mas-mas"),
        doing=(
            "bicara sendiri sambil teriak-teriak",
            "jalan tanpa baju di tengah jalan",
            "tertawa sendiri di depan ruko",
            "mengganggu orang lewat, minta rokok",
            "mondar-mandir di tengah jalan sambil komat-kamit",
        ),
        acts=True,
    ),
    "gepeng": Kind(
        label=("gepeng", "gelandangan dan pengemis"),
        plain=("sekelompok orang", "bapak-bapak dan ibu-ibu"),
        doing=(
            "bermalam beralas kardus di depan ruko, siangnya minta-minta di simpang",
            "mangkal di perempatan minta uang, malamnya tidur di taman",
        ),
        with_child=("gepeng bawa anak-anak kecil minta-minta di perempatan",),
    ),
    "korban_kebakaran": Kind(
        label=("korban si jago merah", "keluarga yang kehilangan tempat tinggal"),
        plain=("satu keluarga", "bapak penjual sayur", "penghuni kontrakan"),
        doing=(
            "rumahnya habis terbakar minggu lalu, sekarang menumpang di rumah saudara",
            "kehilangan semua barang sejak kebakaran 3 hari lalu, butuh pakaian",
            "tinggal di tenda depan sisa rumahnya yang hangus sejak kemarin",
        ),
        group=("{n} jiwa", "satu keluarga, {n} orang", "{n} orang penghuni"),
        disaster=True,
        now={
            "disaster": (
                "rumahnya terbakar barusan, apinya masih besar",
                "jadi korban kebakaran di permukiman padat, belum sempat selamatkan barang",
                "rumahnya terbakar, api masih menyala dan penghuni berhamburan keluar",
            )
        },
    ),
}

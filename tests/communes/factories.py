import datetime

from communes.models import Commune, CommuneSupport, District, SupportProgram


def make_district(name="Ngân Sơn", **fields):
    return District.objects.create(name=name, **fields)


def make_commune(name="Hiệp Lực", district=None, **fields):
    return Commune.objects.create(name=name, district=district, **fields)


def make_program(year=2022, **fields):
    fields.setdefault("title", f"Hỗ trợ nâng cao chất lượng công tác đoàn năm {year}")
    fields.setdefault("start_month", datetime.date(year, 2, 1))
    fields.setdefault("end_month", datetime.date(year, 12, 1))
    return SupportProgram.objects.create(year=year, **fields)


def make_support(program, commune, **fields):
    return CommuneSupport.objects.create(program=program, commune=commune, **fields)

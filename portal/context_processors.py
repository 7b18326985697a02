from portal.identity import site_identity


def site(request):
    """Give every page the portal's identity as `site` (name, full name, logo)."""
    return {"site": site_identity()}

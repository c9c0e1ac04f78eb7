"""People who sign in: the token's owner and the staff named on conversations."""

from ninja import Schema

from everydesk.accounts.models import Role, User


class UserOut(Schema):
    id: int
    email: str
    name: str
    role: Role

    @staticmethod
    def resolve_name(user: User) -> str:
        return user.display_name


class StaffSummary(Schema):
    """A staff member as shown on a conversation; no email, since customers see it too."""

    id: int
    name: str

    @staticmethod
    def resolve_name(user: User) -> str:
        return user.display_name

from typing import Literal

GetAppointmentsForContactVersion = Literal["2021-07-28"]

GET_APPOINTMENTS_FOR_CONTACT_VERSION_VALUES: set[GetAppointmentsForContactVersion] = {
    "2021-07-28",
}


def check_get_appointments_for_contact_version(value: str) -> GetAppointmentsForContactVersion:
    if value in GET_APPOINTMENTS_FOR_CONTACT_VERSION_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {GET_APPOINTMENTS_FOR_CONTACT_VERSION_VALUES!r}")

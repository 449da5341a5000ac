using System.Reflection;

namespace PromptKit.Training;

/// <summary>Copies an options object's settable public properties, so that a trainer's settings cannot change under it.</summary>
internal static class OptionsCopy
{
    public static T Clone<T>(T source)
        where T : class, new()
    {
        var copy = new T();
        foreach (PropertyInfo property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanRead && property.CanWrite && property.GetIndexParameters().Length == 0)
            {
                property.SetValue(copy, property.GetValue(source));
            }
        }

        return copy;
    }
}
